// The destination while the guest runs there in postcopy: every guest access is resolved here before
// it happens. A page the destination holds is used as it is (and a read of it is checked against what
// the guest last wrote: a wrong discard list would show up here). A page it lacks is a fault: resolved
// locally with a zero page when the policy allows, refused by the source (fault-to-source), or requested
// over the return path; the faulting vCPU is blocked for the round trip, the queueing behind the
// background stream (unless postcopy-preempt gives urgent pages their own channel) and the page's time.
//
// Faults are handled a batch of accesses at a time (the pages one simulation step writes); the vCPUs
// running the guest's job share them round robin. Blocked time slows the job in the following steps.

import { pageRange, RoaringBitmap32 as Roaring, type RoaringBitmap32 } from "../bitmap/roaring.ts";
import type { AccessObserver, GuestMemory, WriteObserver } from "../guest-agent/memory.ts";
import type { Destination } from "../migration/destination.ts";
import type { FreePagePolicy, Ns } from "../model.ts";
import { LatencyLog } from "./latency.ts";

/** What the resolver needs from the source side and the link. */
export interface FaultService {
  readonly nowNs: Ns;
  /** Pages the source still has to send. */
  readonly sourceBitmap: RoaringBitmap32;
  /** The source sends these pages now, ahead of the background stream; they leave its bitmap. */
  sendUrgent(pages: RoaringBitmap32): void;
  /** One fault's latency, without the time the link was down: round trip, queueing, page, placing. */
  faultLatencyNs(concurrentFaults: number): Ns;
  /** False while the link is down or recovering. */
  linkUp(): boolean;
  /** How long the background stream needs to deliver everything still to send. */
  pushRemainingNs(): Ns;
}

export interface FaultCosts {
  localFaultNs: Ns;
}

const MAX_NAMED = 16;

export class FaultResolver implements AccessObserver, WriteObserver {
  readonly latencies = new LatencyLog();
  requested = 0;
  local = 0;
  refused = 0;
  corruptedReads = 0;
  readonly corrupted: { page: number; source: number; destination: number }[] = [];
  /** Per vCPU: total time blocked, blocked until when, and since when if the block is open-ended. */
  readonly vcpuBlockedNs: Float64Array;
  private readonly blockedUntil: Float64Array;
  private readonly openBlockSince: Float64Array;
  /** Blocked time by what the vCPU waited for. */
  readonly blockedByCause = { requested: 0, local: 0, refused: 0 };
  /** Why each open-ended block started. */
  private readonly openBlockCause: ("requested" | "refused")[];
  /** Requests made while the link was down, served at recovery. */
  private pendingWhileDown = new Roaring();
  private nextVcpu = 0;

  constructor(
    private readonly memory: GuestMemory,
    private readonly destination: Destination,
    private readonly policy: FreePagePolicy,
    readonly zeroMarked: RoaringBitmap32,
    private readonly service: FaultService,
    private readonly costs: FaultCosts,
    vcpus: number,
    /** vCPUs the guest's job keeps busy now. */
    private readonly busyVcpus: () => number,
  ) {
    this.vcpuBlockedNs = new Float64Array(vcpus);
    this.blockedUntil = new Float64Array(vcpus);
    this.openBlockSince = new Float64Array(vcpus).fill(Number.NaN);
    this.openBlockCause = new Array(vcpus).fill("requested");
  }

  get hasPending(): boolean {
    return !this.pendingWhileDown.isEmpty;
  }

  // --- before the access -----------------------------------------------------------------------------

  beforeWriteRange(start: number, end: number): void {
    this.resolve(pageRange(start, end), false);
  }

  beforeRewritePages(pages: Uint32Array): void {
    this.resolve(new Roaring(pages), true);
  }

  private resolve(pages: RoaringBitmap32, readsFirst: boolean): void {
    const missing = Roaring.andNot(pages, this.destination.present);
    if (readsFirst) this.checkReads(Roaring.and(pages, this.destination.present));
    if (missing.isEmpty) return;
    const local =
      this.policy === "assume-zero"
        ? missing
        : this.policy === "zero-markers"
          ? Roaring.and(missing, this.zeroMarked)
          : new Roaring();
    const remote = Roaring.andNot(missing, local);
    const refused =
      this.policy === "fault-to-source" ? Roaring.andNot(remote, this.service.sourceBitmap) : new Roaring();
    const requested = Roaring.andNot(remote, refused);
    if (!local.isEmpty) {
      // A local zero page: content is zero whatever the guest last wrote there.
      if (readsFirst) this.checkZeroReads(local);
      this.local += local.size;
      this.block(local.size, this.costs.localFaultNs, "local");
    }
    if (!refused.isEmpty) {
      // The source does not have these in its bitmap and will not send them: the vCPU waits for the
      // end of postcopy, when the page is finally mapped as zero.
      this.refused += refused.size;
      this.blockUntilEnd(refused.size, "refused");
    }
    if (!requested.isEmpty) this.request(requested);
  }

  private request(pages: RoaringBitmap32): void {
    const n = pages.size;
    this.requested += n;
    if (!this.service.linkUp()) {
      this.pendingWhileDown.orInPlace(pages);
      this.blockUntilEnd(n, "requested");
      return;
    }
    this.service.sendUrgent(pages);
    this.destination.receiveMissing(pages, this.memory);
    const latency = this.service.faultLatencyNs(Math.max(1, this.busyVcpus()));
    this.latencies.add(latency, n);
    this.block(n, latency, "requested");
  }

  /** The link is back: requests made while it was down are served now. */
  recover(): void {
    if (this.pendingWhileDown.isEmpty) return;
    const pages = this.pendingWhileDown;
    this.pendingWhileDown = new Roaring();
    this.service.sendUrgent(pages);
    this.destination.receiveMissing(pages, this.memory);
    const now = this.service.nowNs;
    const latency = this.service.faultLatencyNs(Math.max(1, this.busyVcpus()));
    for (let v = 0; v < this.openBlockSince.length; v++) {
      const since = this.openBlockSince[v]!;
      if (Number.isNaN(since)) continue;
      this.latencies.add(now - since + latency);
      this.vcpuBlockedNs[v]! += now - since + latency;
      this.blockedByCause[this.openBlockCause[v]!] += now - since + latency;
      this.blockedUntil[v] = now + latency;
      this.openBlockSince[v] = Number.NaN;
    }
  }

  /** Reads of held pages must see what the guest last wrote. */
  private checkReads(held: RoaringBitmap32): void {
    if (held.isEmpty) return;
    const list = held.toUint32Array();
    this.memory.versions.settle(list[0]!, list[list.length - 1]! + 1);
    this.memory.versions.compareAt(this.destination.versions, list, (page, truth, seen) =>
      this.recordCorrupt(page, truth, seen),
    );
  }

  /** A zero page read is right only where the guest's page really holds zeros. */
  private checkZeroReads(zeroed: RoaringBitmap32): void {
    const wrong = Roaring.andNot(zeroed, this.memory.zero);
    if (wrong.isEmpty) return;
    for (const page of wrong.toUint32Array()) this.recordCorrupt(page, this.memory.versions.get(page), 0);
  }

  private recordCorrupt(page: number, truth: number, seen: number): void {
    this.corruptedReads++;
    if (this.corrupted.length < MAX_NAMED) this.corrupted.push({ page, source: truth, destination: seen });
  }

  // --- after the access: the destination holds what the guest wrote ---------------------------------

  onWriteRange(start: number, end: number): void {
    this.took(pageRange(start, end));
  }

  onRewritePages(pages: Uint32Array): void {
    this.took(new Roaring(pages));
  }

  private took(pages: RoaringBitmap32): void {
    const list = pages.toUint32Array();
    this.memory.versions.settle(list[0]!, list[list.length - 1]! + 1);
    this.destination.versions.copyPages(this.memory.versions, list);
    this.destination.present.orInPlace(pages);
  }

  // --- vCPU blocking ---------------------------------------------------------------------------------

  /**
   * `faults` faults of `latency` each, shared round robin by the busy vCPUs, one after another on each.
   * A vCPU waiting on a page is also woken when the background stream delivers it, so no vCPU waits
   * longer than the stream needs to deliver everything.
   */
  private block(faults: number, latency: Ns, cause: "requested" | "local"): void {
    const busy = Math.max(1, Math.min(this.vcpuBlockedNs.length, this.busyVcpus()));
    const now = this.service.nowNs;
    const cap = Math.max(latency, this.service.pushRemainingNs());
    for (let i = 0; i < busy; i++) {
      const v = (this.nextVcpu + i) % busy;
      const share = Math.floor(faults / busy) + (i < faults % busy ? 1 : 0);
      if (share === 0) continue;
      const start = Math.max(this.blockedUntil[v]!, now);
      const until = Math.min(start + share * latency, now + cap);
      if (until <= start) continue;
      this.vcpuBlockedNs[v]! += until - start;
      this.blockedByCause[cause] += until - start;
      this.blockedUntil[v] = until;
    }
    this.nextVcpu = (this.nextVcpu + faults) % busy;
  }

  private blockUntilEnd(faults: number, cause: "requested" | "refused"): void {
    const busy = Math.max(1, Math.min(this.vcpuBlockedNs.length, this.busyVcpus()));
    const now = this.service.nowNs;
    for (let i = 0; i < Math.min(busy, faults); i++) {
      const v = (this.nextVcpu + i) % busy;
      if (Number.isNaN(this.openBlockSince[v]!)) {
        this.openBlockSince[v] = now;
        this.openBlockCause[v] = cause;
      }
      this.blockedUntil[v] = Number.POSITIVE_INFINITY;
    }
  }

  /** Share of the job's vCPU time lost to faults over the next `stepNs`: slows the job like a throttle. */
  throttle(stepNs: Ns): number {
    const busy = Math.max(1, Math.min(this.vcpuBlockedNs.length, this.busyVcpus()));
    const now = this.service.nowNs;
    let lost = 0;
    for (let v = 0; v < busy; v++) lost += Math.min(1, Math.max(0, this.blockedUntil[v]! - now) / stepNs);
    return Math.min(0.999, lost / busy);
  }

  /** Postcopy ended at `nowNs`: open-ended blocks end; refused pages are mapped as zero. */
  finish(nowNs: Ns): void {
    for (let v = 0; v < this.openBlockSince.length; v++) {
      const since = this.openBlockSince[v]!;
      if (Number.isNaN(since)) continue;
      this.vcpuBlockedNs[v]! += nowNs - since;
      this.blockedByCause[this.openBlockCause[v]!] += nowNs - since;
      this.openBlockSince[v] = Number.NaN;
    }
  }

  /** QEMU's postcopy-blocktime counts time when every vCPU was blocked: at most the least-blocked one's. */
  allBlockedNs(): Ns {
    return Math.min(...this.vcpuBlockedNs);
  }
}
