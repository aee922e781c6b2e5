// A whole migration: precopy (precopy.ts), and postcopy when it switches. postcopy_start pauses the guest,
// sends the discard list (and hintmig's zero-range markers) and the device state, and lets the guest run on
// the destination, which from then on holds the only up-to-date copy of what the guest writes. The source
// pushes what remains in page order; pages the destination faults on jump the queue.

import { pageRange, RoaringBitmap32 } from "../bitmap/roaring.ts";
import type { Ns, ProgressStatus } from "../model.ts";
import { FaultResolver, type FaultService } from "../postcopy/fault-resolver.ts";
import { postcopyAdvance } from "../postcopy/state.ts";
import { planSwitchover, RANGE_MESSAGE_BYTES } from "../postcopy/switchover.ts";
import { oneWayNs, streamRateBytesPerSec, wireNs } from "../transport/link.ts";
import { PrecopyMigration } from "./precopy.ts";

export class Migration extends PrecopyMigration {
  /** Set once postcopy has run: what the destination did, for the result. */
  resolver: FaultResolver | null = null;
  postcopyMarks = { discardedPages: 0, zeroMarkerPages: 0, bytesAtSwitch: 0, bytesAtResume: 0, pauses: 0 };

  /** The recovery handshake after the link came back ends at this time. */
  private recoveringUntilNs = 0;
  /** Link time taken by urgent (requested) pages, paid by the next background step. */
  private urgentLinkNs = 0;
  private pausedSinceNs: Ns | null = null;

  protected guestThrottle(dtNs: Ns): number {
    return this.resolver === null ? this.autoConverge.throttle : this.resolver.throttle(dtNs);
  }

  protected override status(): ProgressStatus {
    if (this.phase !== "postcopy") return super.status();
    if (!this.link.up) return "postcopy-paused";
    return this.nowNs < this.recoveringUntilNs ? "postcopy-recover" : "postcopy-active";
  }

  protected onLinkBack(): void {
    this.recoveringUntilNs = this.nowNs + this.config.postcopy.recoveryRtts * this.link.network.rttNs;
    this.at(this.recoveringUntilNs, () => {
      this.resolver?.recover();
      if (this.phase === "postcopy") this.report();
    });
    if (this.phase === "postcopy") this.report();
  }

  protected onPostcopyPause(): void {
    if (this.pausedSinceNs !== null) return;
    this.pausedSinceNs = this.nowNs;
    this.postcopyMarks.pauses++;
    this.report();
  }

  /**
   * postcopy_start: pause the guest, final sync, send the discard list (and hintmig's zero-range
   * markers), the device state, and let the guest run on the destination, which from then on holds
   * the only up-to-date copy of what the guest writes.
   */
  protected switchToPostcopy(): void {
    const { guest, postcopy } = this.config;
    const ram = this.ram!;
    this.postcopyRequested = false;
    this.stoppedNs = this.nowNs;
    this.guestRunning = false;
    // QEMU's status is postcopy-active from the start of postcopy_start: no cancelling from here on.
    this.phase = "postcopy";
    this.endPass();
    this.beginPass("postcopy-switch");
    this.report();
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
    this.endPass();
    this.beginPass("postcopy");
    this.report();
  }

  /** The source pushes what remains in page order; requested pages jump the queue. */
  protected postcopyStep(): void {
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
      if (!this.link.up) this.onPostcopyPause();
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
    this.stepDone();
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
}
