// The free-page virtqueue between the guest driver and QEMU's I/O thread. It has a fixed number of
// descriptors; the driver adds entries and kicks; the I/O thread wakes after a latency, pops everything
// queued, handles each entry (costing host CPU) and returns the descriptors to the guest, which may then
// add more. Entries are handled strictly in order, which is what makes a stale hint queued before the
// new cmd_id harmless (the device is not in START for it).

import type { Scheduler } from "../core/scheduler.ts";
import type { Ns } from "../model.ts";

export type FreePageEntry =
  /** The driver starts a report with the cmd_id it saw (an out buffer). */
  | { kind: "cmd-id"; id: number }
  /** One free block, [start, start + pages) in guest page frames (an in buffer). */
  | { kind: "hint"; start: number; pages: number };

export interface VirtqueueOptions {
  size: number;
  iothreadLatencyNs: Ns;
  /** Host CPU to handle one entry. */
  perEntryNs: Ns;
}

export class FreePageVirtqueue {
  private readonly queued: FreePageEntry[] = [];
  /** Descriptors added and not yet returned by the host. */
  private inUse = 0;
  private iothreadBusy = false;
  private readonly spaceListeners: (() => void)[] = [];
  /** Host CPU the I/O thread has spent, for accounting. */
  iothreadBusyNs: Ns = 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly opts: VirtqueueOptions,
    private readonly handle: (entry: FreePageEntry) => void,
  ) {}

  /** Descriptors the driver may use for hints: it always keeps one for the next cmd_id. */
  get hintSlots(): number {
    return Math.max(0, this.opts.size - 1 - this.inUse);
  }

  onSpace(listener: () => void): void {
    this.spaceListeners.push(listener);
  }

  add(entry: FreePageEntry): void {
    this.queued.push(entry);
    this.inUse++;
  }

  /** Notifies the host; the I/O thread runs after its wake-up latency unless it is already running. */
  kick(): void {
    if (this.iothreadBusy) return;
    this.iothreadBusy = true;
    this.sched.at(this.sched.nowNs + this.opts.iothreadLatencyNs, () => this.drain());
  }

  private drain(): void {
    const batch = this.queued.splice(0);
    for (const entry of batch) this.handle(entry);
    const busyNs = batch.length * this.opts.perEntryNs;
    this.iothreadBusyNs += busyNs;
    this.sched.at(this.sched.nowNs + busyNs, () => {
      this.inUse -= batch.length;
      this.iothreadBusy = false;
      // Entries added while the thread was busy were kicked for, but the kick found it running.
      if (this.queued.length > 0) this.kick();
      for (const l of this.spaceListeners) l();
    });
  }
}
