// The migration thread, shaped like QEMU's: setup (dirty logging on, every page dirty, first sync),
// then iterations that send pages in walk order and sync the bitmap whenever what remains fits the
// downtime budget (threshold = measured bandwidth × downtime-limit); when it still fits right after a
// sync, the guest is paused and the rest is sent (stop-and-copy). Guest writes interleave with sending
// step by step: the guest runs for exactly as long as each step of the migration thread takes. Commands
// and network events arrive at their times: a cancel takes the transport's cancel latency, a broken link
// fails the migration once the transport notices. Postcopy, which precopy may switch to, is migration.ts.

import type { FreePageHintTarget } from "../balloon/free-page-hint.ts";
import { pageRange, RoaringBitmap32 } from "../bitmap/roaring.ts";
import type { RunHooks } from "../index.ts";
import type { Command, MigrationStatus, Ns, ProgressStatus, SimConfig } from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";
import { type PostcopyState, postcopyAdvance } from "../postcopy/state.ts";
import type { Breakage } from "../transport/transport.ts";
import { type Balloon, wireBalloon } from "./balloon-wiring.ts";
import type { NoticedBreak } from "./link-faults.ts";
import { RamState } from "./ram.ts";
import { MigrationWorld, type SharedHosts } from "./world.ts";

/** QEMU recomputes bandwidth and the threshold every BUFFER_DELAY (100 ms). */
const BANDWIDTH_WINDOW_NS = 100 * NS_PER_MS;
/** QEMU closes a dirty-rate / auto-converge period only at a sync at least a second after the last. */
const RATE_PERIOD_NS = NS_PER_SEC;

export abstract class PrecopyMigration extends MigrationWorld implements FreePageHintTarget {
  readonly balloon: Balloon;
  errorDesc: string | undefined;
  /** Why the migration ended early, for the result: a cancel, or a break the source noticed. */
  interruption: { cause: NoticedBreak["cause"] | "migrate_cancel"; eventNs: Ns; breakage: Breakage } | null =
    null;
  /** Pages the destination held when a failed or cancelled migration discarded its copy. */
  discardedPages = 0;
  postcopyState: PostcopyState = "none";

  protected postcopyRequested = false;
  protected sourceFailed = false;
  /** Pages hinted free since the last sync (the lazy-dirty-log-clear fault re-dirties them). */
  private hintedThisPeriod = new RoaringBitmap32();
  /** migrate_cancel was issued: when the source will report `cancelled` (the transport's cancel latency). */
  private cancel: { commandNs: Ns; doneNs: Ns } | null = null;
  private thresholdBytes = 0;
  private bandwidthWindow = { startNs: 0, bytes: 0 };
  private ratePeriod = { startNs: 0, newDirtyPages: 0, bytes: 0 };
  /** The stream's rate over the last bandwidth window: what a socket being cancelled drains at. */
  private recentRateBytesPerSec = 0;

  constructor(config: SimConfig, hooks: RunHooks, shared: SharedHosts | null = null) {
    super(config, hooks, shared);
    this.balloon = wireBalloon({
      config,
      memory: this.memory,
      scheduler: this,
      target: this,
      notifiers: this.notifiers,
      guestHost: () => this.guestHost,
      meter: (host, thread, read) => this.meter(host, thread, read),
    });
  }

  /** postcopy_start: pause the guest and hand it to the destination. */
  protected abstract switchToPostcopy(): void;
  /** One turn of the source once the guest runs on the destination. */
  protected abstract postcopyStep(): void;
  /** The link came back: postcopy recovers. */
  protected abstract onLinkBack(): void;
  /** Postcopy lost its connection: it pauses. */
  protected abstract onPostcopyPause(): void;

  protected status(): ProgressStatus {
    if (this.cancel !== null && this.running) return "cancelling";
    switch (this.phase) {
      case "before":
      case "setup":
        return "setup";
      case "stop-and-copy":
        // QEMU says `device` once the guest is paused for the last of RAM and the device state.
        return "device";
      case "postcopy":
        return "postcopy-active";
      default:
        return this.phase;
    }
  }

  protected command(c: Command): void {
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
        this.report();
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
          this.onPostcopyPause();
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
    this.onLinkBack();
    if (this.cancel !== null) {
      const drainedNs = this.nowNs + this.transport.cancelNs(this.recentRateBytesPerSec, null);
      this.cancel.doneNs = Math.min(this.cancel.doneNs, drainedNs);
    }
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
    this.advance(this.startNs);
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
    else this.postcopyStep();
  }

  /** The guest still runs on the source: its host did not fail, and it did not move to the destination. */
  get guestRunningOnSource(): boolean {
    return this.guestRunning && this.guestHost === "source" && !this.sourceFailed;
  }

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
   * A failed source host, a cancel that took effect, or a break the source noticed ends the migration
   * here; while a cancel is pending the migration thread sends nothing more and waits for it (true: this
   * step is taken).
   */
  private interrupted(): boolean {
    if (this.sourceFailed) {
      this.finish(
        "failed",
        "the source host failed during precopy; the guest was running there and is lost with it",
      );
      return true;
    }
    const cancel = this.cancel;
    const broke = this.link.noticed;
    if (cancel !== null && (this.nowNs >= cancel.doneNs || broke !== null)) {
      // An error while cancelling still ends as cancelled (QEMU's CANCELLING goes to CANCELLED). The
      // stream it names is the one being drained or aborted.
      const breakage = this.transport.breakage("timeout", null);
      this.interruption = { cause: "migrate_cancel", eventNs: cancel.commandNs, breakage };
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
    this.stepDone();
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
  protected sync(): void {
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

  protected finish(status: MigrationStatus, errorDesc?: string): void {
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
}
