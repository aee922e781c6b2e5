// The migration thread, shaped like QEMU's: setup (dirty logging on, every page dirty, first sync),
// then iterations that send pages in walk order and sync the bitmap whenever what remains fits the
// downtime budget (threshold = measured bandwidth × downtime-limit); when it still fits right after a
// sync, the guest is paused and the rest is sent (stop-and-copy). Guest writes interleave with sending
// step by step: the guest runs for exactly as long as each step of the migration thread takes.

import { FreePageHintDevice, type FreePageHintTarget } from "../balloon/free-page-hint.ts";
import { discardReported } from "../balloon/free-page-reporting.ts";
import { FreePageVirtqueue } from "../balloon/virtqueue.ts";
import { DirtyLog } from "../bitmap/dirty-log.ts";
import { pageRange, RoaringBitmap32 } from "../bitmap/roaring.ts";
import { EventQueue } from "../core/event-queue.ts";
import { Rng } from "../core/rng.ts";
import type { Scheduler } from "../core/scheduler.ts";
import { HintingAgent } from "../guest-agent/hinting-agent.ts";
import { GuestMemory } from "../guest-agent/memory.ts";
import { PageReporting } from "../guest-agent/page-reporting.ts";
import { Workload } from "../guest-agent/workload.ts";
import type { RunHooks } from "../index.ts";
import type {
  Command,
  MigrationParameters,
  MigrationStatus,
  NetworkConfig,
  Ns,
  PassRecord,
  SimConfig,
} from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";
import { FaultResolver, type FaultService } from "../postcopy/fault-resolver.ts";
import { type PostcopyState, postcopyAdvance } from "../postcopy/state.ts";
import { planSwitchover, RANGE_MESSAGE_BYTES } from "../postcopy/switchover.ts";
import { ChannelStates } from "../transport/channels.ts";
import { CpuAccount, type HostSide } from "../transport/cpu.ts";
import { TRANSPORTS } from "../transport/index.ts";
import { oneWayNs, streamRateBytesPerSec, wireNs } from "../transport/link.ts";
import { SHARED_THREADS, type SharedFabric } from "../transport/shared-fabric.ts";
import type { Breakage, TransferCost, Transport } from "../transport/transport.ts";
import { AutoConverge } from "./auto-converge.ts";
import { Destination } from "./destination.ts";
import { LinkFaults, type NoticedBreak } from "./link-faults.ts";
import { PrecopyNotifiers } from "./notifiers.ts";
import { type Chunk, RamState } from "./ram.ts";
import { MigrationStats } from "./stats.ts";
import { type Counters, Timeline } from "./timeline.ts";

/** QEMU recomputes bandwidth and the threshold every BUFFER_DELAY (100 ms). */
const BANDWIDTH_WINDOW_NS = 100 * NS_PER_MS;
/** QEMU closes a dirty-rate / auto-converge period only at a sync at least a second after the last. */
const RATE_PERIOD_NS = NS_PER_SEC;
/** Steps between progress reports within a pass. */
const PROGRESS_EVERY_STEPS = 64;

type Phase = "before" | "setup" | "active" | "stop-and-copy" | "postcopy" | MigrationStatus;

/** A cumulative busy-time counter of some model component, charged to a host thread as time passes. */
interface BusyMeter {
  host: () => HostSide;
  thread: string;
  read: () => Ns;
  last: Ns;
}

/** What the migrations of several guests between the same two hosts share (see group.ts). */
export interface SharedHosts {
  fabric: SharedFabric;
  /** The link as it is now, for every guest: one link's rate and loss change for all of them. */
  network: NetworkConfig;
  /** Both hosts' CPU, all guests together. */
  cpu: CpuAccount;
}

/** The balloon pieces a run has, when the scenario enables them. */
export interface Balloon {
  hint: { device: FreePageHintDevice; agent: HintingAgent; vq: FreePageVirtqueue } | null;
  reporting: PageReporting | null;
}

export class PrecopyMigration implements Scheduler, FreePageHintTarget {
  readonly memory: GuestMemory;
  readonly workload: Workload;
  readonly dirtyLog: DirtyLog;
  readonly destination: Destination;
  readonly transport: Transport;
  readonly link: LinkFaults;
  readonly cpu: CpuAccount;
  readonly stats = new MigrationStats();
  readonly notifiers = new PrecopyNotifiers();
  readonly params: MigrationParameters;
  readonly autoConverge: AutoConverge;
  readonly passes: PassRecord[] = [];
  readonly timeline: Timeline;
  readonly balloon: Balloon;
  ram: RamState | null = null;

  phase: Phase = "before";
  errorDesc: string | undefined;
  /** Why the migration ended early, for the result: a cancel, or a break the source noticed. */
  interruption: { cause: NoticedBreak["cause"] | "migrate_cancel"; eventNs: Ns; breakage: Breakage } | null =
    null;
  /** Pages the destination held when a failed or cancelled migration discarded its copy. */
  discardedPages = 0;
  nowNs: Ns = 0;
  startNs: Ns;
  setupDoneNs: Ns | null = null;
  stoppedNs: Ns | null = null;
  /** When the guest resumed on the destination after stop-and-copy or the postcopy switch. */
  resumedNs: Ns | null = null;
  postcopyState: PostcopyState = "none";
  /** Set once postcopy has run: what the destination did, for the result. */
  resolver: FaultResolver | null = null;
  postcopyMarks = { discardedPages: 0, zeroMarkerPages: 0, bytesAtSwitch: 0, bytesAtResume: 0, pauses: 0 };

  private readonly events = new EventQueue<() => void>();
  private readonly meters: BusyMeter[] = [];
  /** Pages hinted free since the last sync (the lazy-dirty-log-clear fault re-dirties them). */
  private hintedThisPeriod = new RoaringBitmap32();
  /** migrate_cancel was issued: when the source will report `cancelled` (the transport's cancel latency). */
  private cancel: { commandNs: Ns; doneNs: Ns } | null = null;
  private postcopyRequested = false;
  private sourceFailed = false;
  /** The recovery handshake after the link came back ends at this time. */
  private recoveringUntilNs = 0;
  /** Link time taken by urgent (requested) pages, paid by the next background step. */
  private urgentLinkNs = 0;
  private guestRunning = true;
  /** The host the guest's vCPUs run on: the destination once it resumed there. */
  private guestHost: HostSide = "source";
  private thresholdBytes = 0;
  private bandwidthWindow = { startNs: 0, bytes: 0 };
  private ratePeriod = { startNs: 0, newDirtyPages: 0, bytes: 0 };
  private steps = 0;
  private pausedSinceNs: Ns | null = null;
  /** The stream's rate over the last bandwidth window: what a socket being cancelled drains at. */
  private recentRateBytesPerSec = 0;
  /** The batch crossing now: counted already, done in proportion to the time it has had. */
  private inFlight: { bytes: number; busyNs: Record<HostSide, Ns>; fromNs: Ns; toNs: Ns } | null = null;

  constructor(
    readonly config: SimConfig,
    private readonly hooks: RunHooks,
    shared: SharedHosts | null = null,
  ) {
    const { guest, host, migration, simulation } = config;
    this.memory = new GuestMemory(guest.memoryBytes, guest.pageSizeBytes);
    // Guests of one run draw from their own streams, or two alike guests would write the same pages.
    const stream = config.guestName === null ? "workload" : `workload/${config.guestName}`;
    this.workload = new Workload(config.workload, this.memory, new Rng(config.seed, stream));
    this.dirtyLog = new DirtyLog(this.memory);
    this.destination = new Destination(this.memory.totalPages);
    // The link as it is now, changed by network events; one for all guests when several share it.
    const network = shared?.network ?? structuredClone(config.network);
    const channels = new ChannelStates();
    const own = TRANSPORTS[migration.transport]({
      host,
      network,
      pageSizeBytes: guest.pageSizeBytes,
      transport: config.transport,
      channels,
    });
    this.transport = shared === null ? own : shared.fabric.attach(own);
    this.link = new LinkFaults(network, channels, this.transport, this);
    this.cpu = new CpuAccount(
      host.cores,
      shared === null
        ? null
        : (c) =>
            shared.cpu.charge(
              SHARED_THREADS.has(c.thread) ? c : { ...c, thread: `${config.guestName}/${c.thread}` },
            ),
    );
    this.params = { ...migration.parameters };
    this.autoConverge = new AutoConverge(migration.capabilities["auto-converge"]);
    this.startNs = migration.startNs;
    this.timeline = new Timeline(migration.startNs, simulation.sampleIntervalNs, host.cores);
    this.meter(
      () => this.guestHost,
      "vcpus",
      () => this.workload.vcpuBusyNs,
    );
    for (const c of config.commands) this.at(c.atNs, () => this.command(c));
    this.balloon = this.buildBalloon();
  }

  private buildBalloon(): Balloon {
    const { balloon, faults } = this.config;
    const pageBytes = this.memory.pageSizeBytes;
    let hint: Balloon["hint"] = null;
    // QEMU skips free-page hinting whenever postcopy is possible; hintmig's other policies keep it.
    const hintingOff =
      this.config.migration.capabilities["postcopy-ram"] &&
      this.config.postcopy.freePagePolicy === "disable-hinting";
    if (balloon.freePageHint && !hintingOff) {
      let device: FreePageHintDevice | null = null;
      const vq = new FreePageVirtqueue(
        this,
        {
          size: balloon.virtqueueSize,
          iothreadLatencyNs: balloon.iothreadLatencyNs,
          perEntryNs: balloon.hintHostNs,
        },
        (entry) => device!.handle(entry),
      );
      const agent = new HintingAgent(this.memory, vq, this, {
        blockPages: balloon.hintBlockBytes / pageBytes,
        blockGuestNs: balloon.hintBlockGuestNs,
        configLatencyNs: balloon.configLatencyNs,
      });
      device = new FreePageHintDevice(this, (id) => agent.configChanged(id), faults);
      this.notifiers.add((notice) => device!.notify(notice));
      this.meter(
        () => "source",
        "balloon-iothread",
        () => vq.iothreadBusyNs,
      );
      this.meter(
        () => this.guestHost,
        "vcpus",
        () => agent.guestBusyNs,
      );
      hint = { device, agent, vq };
    }
    let reporting: PageReporting | null = null;
    if (balloon.freePageReporting) {
      let discardNs = 0;
      reporting = new PageReporting(
        this.memory,
        this,
        {
          minBlockPages: balloon.reportingBlockBytes / pageBytes,
          delayNs: balloon.reportingDelayNs,
          capacity: balloon.reportingCapacity,
        },
        (blocks) => {
          const ns = discardReported(this.memory, blocks, balloon.discardNsPerPage);
          discardNs += ns;
          return ns;
        },
      );
      this.meter(
        () => "source",
        "balloon-iothread",
        () => discardNs,
      );
    }
    return { hint, reporting };
  }

  private meter(host: () => HostSide, thread: string, read: () => Ns): void {
    this.meters.push({ host, thread, read, last: read() });
  }

  private command(c: Command): void {
    switch (c.kind) {
      case "migrate-set-parameters":
        Object.assign(this.params, c.parameters);
        break;
      case "migrate_cancel":
        // QEMU refuses to cancel once postcopy has started: the destination already runs the guest.
        if (this.phase === "postcopy" || this.cancel !== null) break;
        this.cancel = {
          commandNs: this.nowNs,
          doneNs:
            this.phase === "before"
              ? this.nowNs
              : this.nowNs + this.transport.cancelNs(this.recentRateBytesPerSec, this.link.downForNs()),
        };
        break;
      case "migrate-start-postcopy":
        if (this.config.migration.capabilities["postcopy-ram"]) this.postcopyRequested = true;
        break;
      case "link-down":
      case "link-bandwidth":
      case "packet-loss":
        this.link.apply(c);
        break;
      case "link-up": {
        const wasDown = !this.link.up;
        this.link.apply(c);
        if (wasDown && c.channel === null) this.linkBack();
        break;
      }
      case "connection-reset":
        // Postcopy does not fail on a broken connection: it pauses, and recovers over a new one.
        if (this.phase === "postcopy" && c.channel === null) {
          this.link.apply({ ...c, kind: "link-down" });
          this.link.apply({ ...c, kind: "link-up" });
          this.pausedSinceNs ??= this.nowNs;
          this.postcopyMarks.pauses++;
          this.linkBack();
        } else this.link.apply(c);
        break;
      case "source-fail":
        this.sourceFailed = true;
        break;
    }
  }

  /**
   * The link is back: postcopy recovers after its handshake; a cancel that waited on the dead link now
   * waits only for the socket to drain.
   */
  private linkBack(): void {
    this.recoveringUntilNs = this.nowNs + this.config.postcopy.recoveryRtts * this.link.network.rttNs;
    this.at(this.recoveringUntilNs, () => this.resolver?.recover());
    if (this.cancel !== null) {
      const drainedNs = this.nowNs + this.transport.cancelNs(this.recentRateBytesPerSec, null);
      this.cancel.doneNs = Math.min(this.cancel.doneNs, drainedNs);
    }
  }

  /** Scheduler: runs `fn` at `atNs`, in order with everything else due then. */
  at(atNs: Ns, fn: () => void): void {
    this.events.push(Math.max(atNs, this.nowNs), fn);
  }

  /**
   * FreePageHintTarget (ram.c's qemu_guest_free_page_hint): the guest says these pages are free, so
   * they need not be sent. Only bits still set count as skipped: a page this pass already sent is not.
   */
  freePageHint(start: number, pages: number): void {
    const ram = this.ram;
    if (ram === null || (this.phase !== "active" && this.phase !== "setup")) return;
    const end = Math.min(start + pages, this.memory.totalPages);
    if (this.config.faults.hintsClearDirtyLog) {
      this.dirtyLog.clear(pageRange(start, end));
      return;
    }
    const skipped = ram.clearRange(start, end);
    this.stats.skippedFreePages += skipped;
    const pass = this.passes[this.passes.length - 1];
    if (pass !== undefined) pass["skipped-free-pages"] += skipped;
    if (this.config.faults.lazyDirtyLogClear) this.hintedThisPeriod.addRange(start, end);
  }

  /** Runs the guest until the migrate command, then the migration to its end. */
  run(): void {
    this.begin();
    while (this.running) this.step();
  }

  /** Runs the guest until the migrate command, and the migration's setup. */
  begin(): void {
    this.runGuestUntil(this.startNs);
    if (this.cancel !== null) {
      this.finish("cancelled", "migrate_cancel was issued before the migration started");
      return;
    }
    this.setup();
  }

  get running(): boolean {
    return this.phase === "active" || this.phase === "stop-and-copy" || this.phase === "postcopy";
  }

  /** One turn of the migration thread: a batch of pages, a sync, a completion or a wait. */
  step(): void {
    if (this.phase === "active") this.iterate();
    else if (this.phase === "stop-and-copy") this.stopAndCopyStep();
    else this.postcopyIterate();
  }

  /** The guest still runs on the source: its host did not fail, and it did not move to the destination. */
  get guestRunningOnSource(): boolean {
    return this.guestRunning && this.guestHost === "source" && !this.sourceFailed;
  }

  get pageSizeBytes(): number {
    return this.memory.pageSizeBytes;
  }

  // --- guest time ---------------------------------------------------------------------------------------

  private runGuestUntil(untilNs: Ns): void {
    this.advance(untilNs);
  }

  /**
   * Moves simulated time forward to `toNs`, running every event due on the way at its own instant; the
   * guest runs (and writes) in between unless stop-and-copy paused it.
   */
  private advance(toNs: Ns): void {
    for (let next = this.events.peekTime(); next <= toNs; next = this.events.peekTime()) {
      this.runUntil(next);
      this.events.popDue(next)!.value();
    }
    this.runUntil(toNs);
  }

  private runUntil(toNs: Ns): void {
    if (toNs <= this.nowNs) return;
    if (this.guestRunning) {
      const throttle =
        this.resolver === null ? this.autoConverge.throttle : this.resolver.throttle(toNs - this.nowNs);
      this.workload.advanceTo(toNs, throttle);
    }
    this.nowNs = toNs;
    for (const m of this.meters) {
      const now = m.read();
      if (this.phase !== "before")
        this.cpu.charge({ host: m.host(), thread: m.thread, busyNs: now - m.last });
      m.last = now;
    }
    if (this.phase !== "before") this.timeline.record(this.nowNs, this.counters());
  }

  /**
   * Counters for the timeline. A batch's bytes and CPU are counted when it is sent, but it takes its
   * duration to cross, so a sample taken meanwhile counts only the part done: throughput never shows
   * more than the link carried.
   */
  counters(): Counters {
    const f = this.inFlight;
    const left =
      f === null || f.toNs <= f.fromNs ? 0 : Math.max(0, (f.toNs - this.nowNs) / (f.toNs - f.fromNs));
    return {
      transferredBytes: this.stats.transferredBytes - left * (f?.bytes ?? 0),
      remainingPages: this.ram?.dirtyPages ?? 0,
      sourceBusyNs: this.cpu.busyNs("source") - left * (f?.busyNs.source ?? 0),
      destinationBusyNs: this.cpu.busyNs("destination") - left * (f?.busyNs.destination ?? 0),
    };
  }

  /** Lets time pass while a batch already counted crosses (and `extraNs` more). */
  private transmit(cost: TransferCost, extraNs: Ns = 0): void {
    const busyNs = { source: 0, destination: 0 };
    for (const c of cost.charges) busyNs[c.host] += c.busyNs;
    const toNs = this.nowNs + cost.durationNs;
    this.inFlight = { bytes: cost.wireBytes, busyNs, fromNs: this.nowNs, toNs };
    this.advance(toNs + extraNs);
    this.inFlight = null;
  }

  private charge(cost: TransferCost): void {
    for (const c of cost.charges) this.cpu.charge(c);
  }

  // --- phases -------------------------------------------------------------------------------------------

  private setup(): void {
    const { host } = this.config;
    const pages = this.memory.totalPages;
    this.phase = "setup";
    this.timeline.record(this.nowNs, this.counters());
    this.bandwidthWindow = { startNs: this.nowNs, bytes: 0 };
    this.ratePeriod = { startNs: this.nowNs, newDirtyPages: 0, bytes: 0 };
    this.dirtyLog.start();
    this.ram = new RamState(pages);
    if (this.config.migration.capabilities["postcopy-ram"])
      this.postcopyState = postcopyAdvance("none", "advise");
    this.notifiers.notify({ reason: "setup", nowNs: this.nowNs, guestRunning: true });
    const workNs = host.setupFixedNs + pages * host.dirtyLogStartNsPerPage;
    this.cpu.charge({ host: "source", thread: "migration", busyNs: workNs });
    this.advance(this.nowNs + this.transport.connectNs() + workNs);
    this.sync();
    this.setupDoneNs = this.nowNs;
    this.phase = "active";
    this.beginPass("bulk");
  }

  /** One turn of QEMU's migration_iteration_run. */
  private iterate(): void {
    this.advance(this.nowNs);
    if (this.interrupted()) return;
    if (this.hooks.shouldStop?.()) {
      this.finish("cancelled", "stopped by the caller");
      return;
    }
    if (this.sourceFailed) {
      this.finish(
        "failed",
        "the source host failed during precopy; the guest was running there and is lost with it",
      );
      return;
    }
    if (this.postcopyRequested) {
      this.switchToPostcopy();
      return;
    }
    const ram = this.ram!;
    const maxNs = this.config.simulation.maxMigrationNs;
    if (this.nowNs - this.startNs > maxNs) {
      this.finish(
        "failed",
        `migration did not complete within ${maxNs / NS_PER_SEC} s of simulated time ` +
          `(pass ${this.passes.length}, ${ram.dirtyPages} dirty pages remaining)`,
      );
      return;
    }
    if (this.stalled()) {
      this.waitForLink();
      return;
    }
    if (ram.dirtyPages * this.pageSizeBytes > this.thresholdBytes) {
      this.sendStep();
      return;
    }
    if (this.link.channels.anyDown) {
      // multifd_send_sync_main waits for every channel to flush, and a dead one never does.
      this.waitForLink();
      return;
    }
    this.endPass();
    this.sync();
    const passesDone = this.stats.dirtySyncCount - 1;
    const fits = ram.dirtyPages * this.pageSizeBytes <= this.thresholdBytes;
    const { postcopy, migration } = this.config;
    const postcopyOn = migration.capabilities["postcopy-ram"];
    if (fits) {
      this.complete();
      return;
    }
    if (postcopyOn && postcopy.switchAfterPasses !== null && passesDone >= postcopy.switchAfterPasses) {
      this.switchToPostcopy();
      return;
    }
    if (passesDone >= migration.maxPasses) {
      if (postcopyOn && postcopy.switchWhenStuck) this.switchToPostcopy();
      else this.complete();
      return;
    }
    this.beginPass("iterative");
    this.report();
  }

  /**
   * A cancel that took effect, or a break the source noticed, ends the migration here; while a cancel
   * is pending the migration thread sends nothing more and waits for it (true: this step is taken).
   */
  private interrupted(): boolean {
    const cancel = this.cancel;
    const broke = this.link.noticed;
    const names = this.transport.breakage("timeout", null);
    if (cancel !== null && (this.nowNs >= cancel.doneNs || broke !== null)) {
      // An error while cancelling still ends as cancelled (QEMU's CANCELLING goes to CANCELLED).
      this.interruption = { cause: "migrate_cancel", eventNs: cancel.commandNs, breakage: names };
      this.finish("cancelled");
      return true;
    }
    if (broke !== null) {
      this.interruption = { cause: broke.cause, eventNs: broke.eventNs, breakage: broke.breakage };
      this.finish("failed", this.describeBreak(broke));
      return true;
    }
    if (cancel !== null) {
      this.transport.idle?.();
      this.advance(Math.min(this.events.peekTime(), cancel.doneNs));
      return true;
    }
    return false;
  }

  /** QEMU's error, then where it broke and when it was known, in the migration's own seconds. */
  private describeBreak(b: NoticedBreak): string {
    const sec = (ns: Ns) => `${(ns / NS_PER_SEC).toFixed(3)} s`;
    const what = b.cause === "link-down" ? "packets stopped getting through" : "the connection was reset";
    const { message, layer, channel, host } = b.breakage;
    return (
      `${message} (on the ${host} host, ${channel}, ${layer}: ${what} at ${sec(b.eventNs - this.startNs)}, ` +
      `noticed at ${sec(this.nowNs - this.startNs)}, ${sec(this.nowNs - b.eventNs)} later)`
    );
  }

  /** Nothing can be sent: the link is down, or every channel is. */
  private stalled(): boolean {
    return !this.link.up || this.link.channels.downCount >= this.transport.streams;
  }

  /** The guest runs on while the migration waits for the link to come back or the break to be noticed. */
  private waitForLink(): void {
    this.transport.idle?.();
    this.advance(Math.min(this.events.peekTime(), this.nowNs + this.config.simulation.maxStepNs));
  }

  /** Sends the next pages for at most one step's budget; the guest runs meanwhile. */
  private sendStep(): void {
    const sim = this.config.simulation;
    const budgetNs = Math.max(1, Math.min(sim.maxStepNs, this.events.peekTime() - this.nowNs));
    const chunk = this.ram!.takeNext(this.memory.zero, sim.maxStepPages, (n, z) => {
      const perPageNs = this.costOf(n, z).durationNs / n;
      return perPageNs > 0 ? budgetNs / perPageNs : n;
    });
    if (chunk === null) return;
    this.transmit(this.sendChunk(chunk));
    this.measureBandwidth();
    if (++this.steps % PROGRESS_EVERY_STEPS === 0) this.report();
  }

  private costOf(pages: number, zeroPages: number): TransferCost {
    return this.transport.sendPages(
      { normalPages: pages - zeroPages, zeroPages },
      this.params.maxBandwidthBytesPerSec,
    );
  }

  /** Puts a chunk on the wire: counters, CPU, the destination's copy. Time is advanced by the caller. */
  private sendChunk(chunk: Chunk): TransferCost {
    const cost = this.costOf(chunk.pages, chunk.zeroPages);
    this.destination.receive(chunk, this.memory);
    this.charge(cost);
    this.countSent(chunk.pages, chunk.zeroPages, cost.wireBytes);
    return cost;
  }

  private measureBandwidth(): void {
    const w = this.bandwidthWindow;
    const dt = this.nowNs - w.startNs;
    if (dt < BANDWIDTH_WINDOW_NS) return;
    const bytesPerNs = (this.stats.transferredBytes - w.bytes) / dt;
    this.thresholdBytes = bytesPerNs * this.params.downtimeLimitNs;
    this.recentRateBytesPerSec = bytesPerNs * NS_PER_SEC;
    this.bandwidthWindow = { startNs: this.nowNs, bytes: this.stats.transferredBytes };
  }

  /** migration_bitmap_sync_precopy: notifiers around KVM_GET_DIRTY_LOG and the merge into the bitmap. */
  private sync(): void {
    const ram = this.ram!;
    this.notifiers.notify({
      reason: "before-bitmap-sync",
      nowNs: this.nowNs,
      guestRunning: this.guestRunning,
    });
    const before = ram.dirtyPages;
    ram.merge(this.dirtyLog.collect());
    if (this.config.faults.lazyDirtyLogClear && !this.hintedThisPeriod.isEmpty) {
      // The dirty-log chunks of skipped pages were never cleared, so KVM reports them dirty again.
      ram.merge(this.hintedThisPeriod);
      this.hintedThisPeriod = new RoaringBitmap32();
    }
    this.stats.dirtySyncCount++;
    this.ratePeriod.newDirtyPages += ram.dirtyPages - before;
    const syncNs = this.memory.totalPages * this.config.host.bitmapSyncNsPerPage;
    this.cpu.charge({ host: "source", thread: "migration", busyNs: syncNs });
    this.advance(this.nowNs + syncNs);
    this.closeRatePeriod();
    this.notifiers.notify({
      reason: "after-bitmap-sync",
      nowNs: this.nowNs,
      guestRunning: this.guestRunning,
    });
  }

  private closeRatePeriod(): void {
    const p = this.ratePeriod;
    const dt = this.nowNs - p.startNs;
    if (dt < RATE_PERIOD_NS) return;
    this.stats.dirtyPagesRate = Math.round((p.newDirtyPages * NS_PER_SEC) / dt);
    this.autoConverge.onPeriod(
      p.newDirtyPages * this.pageSizeBytes,
      this.stats.transferredBytes - p.bytes,
      this.params,
    );
    this.ratePeriod = { startNs: this.nowNs, newDirtyPages: 0, bytes: this.stats.transferredBytes };
  }

  /** Stop-and-copy: pause the guest and do the final sync; stopAndCopyStep sends what is left. */
  private complete(): void {
    this.stoppedNs = this.nowNs;
    this.guestRunning = false;
    this.beginPass("stop-and-copy");
    this.sync();
    // Pages the final sync found belong to this stage.
    this.passes[this.passes.length - 1]!["dirty-pages-at-start"] = this.ram!.dirtyPages;
    this.notifiers.notify({ reason: "complete", nowNs: this.nowNs, guestRunning: false });
    this.phase = "stop-and-copy";
  }

  /**
   * One batch of what is left with the guest paused, or, once nothing is, the device state. A batch per
   * step, as while precopy runs, so guests migrating alongside share the link with this one batch by batch.
   */
  private stopAndCopyStep(): void {
    const { guest, simulation } = this.config;
    this.advance(this.nowNs);
    if (this.interrupted()) return;
    if (this.stalled()) {
      this.waitForLink();
      return;
    }
    const chunk = this.ram!.takeNext(this.memory.zero, simulation.maxStepPages, (n) => n);
    if (chunk !== null) {
      this.transmit(this.sendChunk(chunk));
      return;
    }
    const device = this.transport.sendBytes(guest.deviceStateBytes, this.params.maxBandwidthBytesPerSec);
    this.charge(device);
    this.stats.deviceStateBytes += device.wireBytes;
    this.advance(
      this.nowNs + device.durationNs + this.config.host.deviceStateNs + this.transport.latencyNs(),
    );
    this.endPass();
    this.finish("completed");
  }

  // --- postcopy ------------------------------------------------------------------------------------------

  /**
   * postcopy_start: pause the guest, final sync, send the discard list (and hintmig's zero-range
   * markers), the device state, and let the guest run on the destination, which from then on holds
   * the only up-to-date copy of what the guest writes.
   */
  private switchToPostcopy(): void {
    const { guest, postcopy } = this.config;
    const ram = this.ram!;
    this.postcopyRequested = false;
    this.stoppedNs = this.nowNs;
    this.guestRunning = false;
    this.endPass();
    this.beginPass("postcopy-switch");
    this.postcopyMarks.bytesAtSwitch = this.stats.transferredBytes;
    this.sync();
    this.dirtyLog.stop();
    this.passes[this.passes.length - 1]!["dirty-pages-at-start"] = ram.dirtyPages;
    this.postcopyState = postcopyAdvance(this.postcopyState, "discard");
    const plan = planSwitchover(
      this.memory.totalPages,
      ram.bitmap,
      this.destination.present,
      postcopy.freePagePolicy === "zero-markers",
    );
    this.destination.present.andNotInPlace(plan.discard);
    this.postcopyMarks.discardedPages = plan.discard.size;
    this.postcopyMarks.zeroMarkerPages = plan.zeroMarkers.size;
    const messages = this.transport.sendBytes(
      (plan.discardRanges + plan.zeroMarkerRanges) * RANGE_MESSAGE_BYTES,
      this.params.maxBandwidthBytesPerSec,
    );
    const device = this.transport.sendBytes(guest.deviceStateBytes, this.params.maxBandwidthBytesPerSec);
    this.charge(messages);
    this.charge(device);
    this.stats.transferredBytes += messages.wireBytes;
    this.stats.deviceStateBytes += device.wireBytes;
    this.postcopyState = postcopyAdvance(this.postcopyState, "listening");
    this.advance(
      this.nowNs +
        messages.durationNs +
        device.durationNs +
        this.config.host.deviceStateNs +
        this.transport.latencyNs(),
    );
    const migration = this;
    const service: FaultService = {
      get nowNs() {
        return migration.nowNs;
      },
      sourceBitmap: ram.bitmap,
      sendUrgent: (pages) => this.sendUrgent(pages),
      faultLatencyNs: (concurrent) => this.faultLatencyNs(concurrent),
      linkUp: () => this.link.up && this.nowNs >= this.recoveringUntilNs,
      pushRemainingNs: () => this.costOf(ram.dirtyPages, 0).durationNs,
    };
    this.resolver = new FaultResolver(
      this.memory,
      this.destination,
      postcopy.freePagePolicy,
      plan.zeroMarkers,
      service,
      { localFaultNs: postcopy.localFaultNs },
      guest.vcpus,
      () => this.workload.busyVcpus,
    );
    this.memory.setAccessObserver(this.resolver);
    this.memory.observe(this.resolver);
    this.postcopyMarks.bytesAtResume = this.stats.transferredBytes;
    this.resumedNs = this.nowNs;
    this.guestRunning = true;
    this.guestHost = "destination";
    this.postcopyState = postcopyAdvance(this.postcopyState, "running");
    this.phase = "postcopy";
    this.endPass();
    this.beginPass("postcopy");
    this.report();
  }

  /** The source pushes what remains in page order; requested pages jump the queue. */
  private postcopyIterate(): void {
    this.advance(this.nowNs);
    const ram = this.ram!;
    const resolver = this.resolver!;
    const stepNs = this.config.simulation.maxStepNs / 10;
    if (this.sourceFailed) {
      this.finish(
        "failed",
        `the source host failed during postcopy: ${ram.dirtyPages} pages existed only there, so the guest ` +
          "running on the destination cannot continue and is lost",
      );
      return;
    }
    if (!this.link.up || this.nowNs < this.recoveringUntilNs) {
      this.transport.idle?.();
      if (!this.link.up && this.pausedSinceNs === null) {
        this.pausedSinceNs = this.nowNs;
        this.postcopyMarks.pauses++;
      }
      this.advance(Math.min(this.events.peekTime(), this.nowNs + stepNs));
      return;
    }
    this.pausedSinceNs = null;
    if (ram.dirtyPages === 0 && !resolver.hasPending) {
      this.advance(this.nowNs + this.transport.latencyNs());
      this.postcopyState = postcopyAdvance(this.postcopyState, "end");
      resolver.finish(this.nowNs);
      this.finish("completed");
      return;
    }
    const budgetNs = Math.max(1, Math.min(stepNs, this.events.peekTime() - this.nowNs));
    const chunk = ram.takeNext(this.memory.zero, this.config.simulation.maxStepPages, (n, z) => {
      const perPageNs = this.costOf(n, z).durationNs / n;
      return perPageNs > 0 ? budgetNs / perPageNs : n;
    });
    if (chunk === null) {
      this.advance(this.nowNs + budgetNs);
      return;
    }
    const cost = this.costOf(chunk.pages, chunk.zeroPages);
    this.charge(cost);
    this.countSent(chunk.pages, chunk.zeroPages, cost.wireBytes);
    const pages = chunk.list === null ? pageRange(chunk.start, chunk.end) : new RoaringBitmap32(chunk.list);
    this.destination.receiveMissing(pages, this.memory);
    const debt = this.urgentLinkNs;
    this.urgentLinkNs = 0;
    this.transmit(cost, debt);
    if (++this.steps % PROGRESS_EVERY_STEPS === 0) this.report();
  }

  /** Requested pages: sent now, ahead of the background stream, off the source's bitmap. */
  private sendUrgent(pages: RoaringBitmap32): void {
    const ram = this.ram!;
    const list = pages.toUint32Array();
    let zero = 0;
    for (const p of list) {
      ram.clearRange(p, p + 1);
      if (this.memory.zero.has(p)) zero++;
    }
    const cost = this.costOf(list.length, zero);
    this.charge(cost);
    this.countSent(list.length, zero, cost.wireBytes);
    this.stats.postcopyRequests += list.length;
    this.urgentLinkNs += cost.durationNs;
  }

  /**
   * One requested page: the request's trip to the source and the page's back, the source finding it,
   * its time through the transport (its busiest stage: the link, a cipher, a daemon), its placing;
   * without postcopy-preempt it also waits behind what the background stream already queued in the socket.
   */
  private faultLatencyNs(concurrentFaults: number): Ns {
    const { postcopy } = this.config;
    const network = this.link.network;
    const rate = streamRateBytesPerSec(network, this.params.maxBandwidthBytesPerSec);
    const pageNs = this.costOf(1, 0).durationNs;
    const preempt = this.config.migration.capabilities["postcopy-preempt"];
    const backlog = preempt || this.ram!.dirtyPages === 0 ? 0 : wireNs(network.socketBufferBytes, rate);
    const roundTripNs = network.rttNs / 2 + oneWayNs(network);
    return roundTripNs + postcopy.requestNs + backlog + concurrentFaults * pageNs + postcopy.placePageNs;
  }

  private countSent(pages: number, zeroPages: number, wireBytes: number): void {
    this.stats.transferredBytes += wireBytes;
    this.stats.zeroPages += zeroPages;
    this.stats.normalPages += pages - zeroPages;
    const pass = this.passes[this.passes.length - 1]!;
    pass["duplicate-pages"] += zeroPages;
    pass["normal-pages"] += pages - zeroPages;
    pass["transferred-bytes"] += wireBytes;
  }

  private finish(status: MigrationStatus, errorDesc?: string): void {
    if (this.running || this.phase === "setup") this.endPass();
    if (status !== "completed" && this.guestHost === "source") {
      // The guest goes on (or resumes, if stop-and-copy paused it) on the source; the destination's
      // partial copy is thrown away with its QEMU.
      this.guestRunning = true;
      this.discardedPages = this.destination.present.size;
      this.destination.present.clear();
    }
    this.phase = status;
    this.errorDesc = errorDesc;
    this.transport.idle?.();
    this.dirtyLog.stop();
    this.notifiers.notify({ reason: "cleanup", nowNs: this.nowNs, guestRunning: this.guestRunning });
    this.report();
  }

  // --- records ------------------------------------------------------------------------------------------

  private beginPass(stage: PassRecord["stage"]): void {
    this.passes.push({
      pass: this.passes.length + 1,
      stage,
      "start-ms": (this.nowNs - this.startNs) / NS_PER_MS,
      "end-ms": (this.nowNs - this.startNs) / NS_PER_MS,
      "dirty-pages-at-start": this.ram?.dirtyPages ?? 0,
      "normal-pages": 0,
      "duplicate-pages": 0,
      "skipped-free-pages": 0,
      "transferred-bytes": 0,
      "cpu-throttle-percentage": Math.round(this.autoConverge.throttle * 100),
    });
  }

  private endPass(): void {
    const pass = this.passes[this.passes.length - 1];
    if (pass !== undefined) pass["end-ms"] = (this.nowNs - this.startNs) / NS_PER_MS;
  }

  private report(): void {
    this.hooks.onProgress?.({
      variant: this.config.variantName,
      ...(this.config.guestName === null ? {} : { guest: this.config.guestName }),
      simTimeMs: (this.nowNs - this.startNs) / NS_PER_MS,
      pass: this.passes.length,
      remainingPages: this.ram?.dirtyPages ?? 0,
      totalPages: this.memory.totalPages,
      transferredBytes: this.stats.transferredBytes,
    });
  }
}
