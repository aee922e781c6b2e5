// Free-page reporting, the guest side (Linux mm/page_reporting.c): a continuous mechanism, not tied to
// migration. When large blocks are freed, a reporting pass runs after a delay; it takes free blocks of
// at least the reporting order that it has not reported yet, hands them to the host in batches of a
// fixed capacity (the host discards their memory), and puts them back on the free lists marked as
// reported. For migration those pages then read as zeros: still scanned, but sent as cheap markers.

import { RoaringBitmap32 } from "../bitmap/roaring.ts";
import type { Scheduler } from "../core/scheduler.ts";
import type { Ns } from "../model.ts";
import type { Extent } from "./extents.ts";
import type { GuestMemory } from "./memory.ts";

export interface PageReportingOptions {
  minBlockPages: number;
  delayNs: Ns;
  capacity: number;
}

/** The host's handling of one report: discards the blocks; returns how long that took. */
export type ReportSink = (blocks: readonly Extent[]) => Ns;

export class PageReporting {
  /** Free pages reported since they were last allocated. */
  private readonly reported = new RoaringBitmap32();
  private passScheduled = false;
  private readonly minOrder: number;
  pagesReported = 0;

  constructor(
    private readonly memory: GuestMemory,
    private readonly sched: Scheduler,
    private readonly opts: PageReportingOptions,
    private readonly host: ReportSink,
  ) {
    this.minOrder = Math.log2(opts.minBlockPages);
    memory.observeAllocations({
      onAllocate: (extents) => {
        for (const e of extents) this.reported.removeRange(e.start, e.end);
      },
      onRelease: (extents) => {
        if (extents.some((e) => e.end - e.start >= opts.minBlockPages)) this.schedulePass();
      },
    });
    // Boot-time free memory is reported once the driver is up, like anything else free.
    this.schedulePass();
  }

  private schedulePass(): void {
    if (this.passScheduled) return;
    this.passScheduled = true;
    this.sched.at(this.sched.nowNs + this.opts.delayNs, () => {
      this.passScheduled = false;
      this.reportBatch();
    });
  }

  /** Reports up to `capacity` unreported blocks, then continues after the host is done with them. */
  private reportBatch(): void {
    const batch: Extent[] = [];
    for (const block of this.memory.allocator.blocksAtLeast(this.minOrder)) {
      if (this.reported.rangeCardinality(block.start, block.end) === block.end - block.start) continue;
      batch.push(block);
      if (batch.length === this.opts.capacity) break;
    }
    if (batch.length === 0) return;
    const busyNs = this.host(batch);
    for (const b of batch) {
      this.reported.addRange(b.start, b.end);
      this.pagesReported += b.end - b.start;
    }
    this.sched.at(this.sched.nowNs + busyNs, () => this.reportBatch());
  }
}
