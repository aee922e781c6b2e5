// The guest's RAM, page by page: which pages the guest kernel has allocated, which hold only zeros,
// and what version of its content each page holds. Writers (the workload) call write*; observers (KVM's
// dirty log while migration runs) see every write as a batch of pages.

import { pageRange, RoaringBitmap32 as Roaring, type RoaringBitmap32 } from "../bitmap/roaring.ts";
import { PageVersions } from "../core/page-versions.ts";
import { BuddyAllocator } from "./allocator.ts";
import type { Extent } from "./extents.ts";

/** Sees every write; the arrays are shared with other observers and must not be modified. */
export interface WriteObserver {
  onWriteRange(start: number, end: number): void;
  /** Sorted, distinct pages. */
  onRewritePages(pages: Uint32Array): void;
}

/**
 * Sees every write before it happens, with how the guest touches the pages: a range write fills pages
 * whole (a fault zeroing a new page, a job initialising its buffer); a rewrite reads the page and
 * modifies it. Postcopy's destination resolves faults here, before the guest can use the page.
 */
export interface AccessObserver {
  beforeWriteRange(start: number, end: number): void;
  beforeRewritePages(pages: Uint32Array): void;
}

/** Sees the guest kernel hand out and take back memory (free-page reporting tracks what it reported). */
export interface AllocationObserver {
  onAllocate(extents: readonly Extent[]): void;
  onRelease(extents: readonly Extent[]): void;
}

/**
 * Called when an allocation finds too little free memory, with the pages missing; returns the pages it
 * gave back (the balloon driver's shrinker returning hinted blocks it holds).
 */
export type PressureHandler = (pagesWanted: number) => number;

export class GuestMemory {
  readonly totalPages: number;
  readonly allocator: BuddyAllocator;
  /** Pages the guest kernel has handed out (the rest are on its free lists or held by the balloon). */
  readonly allocated = new Roaring();
  /** Pages whose content is all zeros: never written since boot, or discarded by the host. */
  readonly zero: RoaringBitmap32;
  /**
   * Content of every page on this (the source) side; settle a range before reading it. A version
   * changes whenever the page was written since it was last looked at, which is all the verifier
   * compares.
   */
  readonly versions: PageVersions;
  private readonly observers: WriteObserver[] = [];
  private accessObserver: AccessObserver | null = null;
  private readonly allocationObservers: AllocationObserver[] = [];
  private readonly pressureHandlers: PressureHandler[] = [];
  /** Writes since boot, in pages (a page written twice counts twice). */
  pagesWritten = 0;

  constructor(
    readonly memoryBytes: number,
    readonly pageSizeBytes: number,
  ) {
    this.totalPages = Math.floor(memoryBytes / pageSizeBytes);
    this.allocator = new BuddyAllocator(this.totalPages);
    this.zero = pageRange(0, this.totalPages);
    this.versions = new PageVersions(this.totalPages);
  }

  /** The one place accesses are resolved before a write (the host the guest runs on); null for none. */
  setAccessObserver(observer: AccessObserver | null): void {
    this.accessObserver = observer;
  }

  observe(observer: WriteObserver): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  observeAllocations(observer: AllocationObserver): void {
    this.allocationObservers.push(observer);
  }

  onPressure(handler: PressureHandler): void {
    this.pressureHandlers.push(handler);
  }

  /**
   * Takes pages off the allocator, reclaiming under memory pressure first if needed; null when the guest
   * is out of memory even then.
   */
  allocate(pages: number): Extent[] | null {
    for (const reclaim of this.pressureHandlers) {
      if (this.allocator.freePages >= pages) break;
      reclaim(pages - this.allocator.freePages);
    }
    const extents = this.allocator.allocate(pages);
    if (extents === null) return null;
    for (const e of extents) this.allocated.addRange(e.start, e.end);
    for (const o of this.allocationObservers) o.onAllocate(extents);
    return extents;
  }

  /** Gives pages back to the allocator; their content stays (Linux does not clear on free). */
  release(extents: readonly Extent[]): void {
    for (const e of extents) this.allocated.removeRange(e.start, e.end);
    this.allocator.release(extents);
    for (const o of this.allocationObservers) o.onRelease(extents);
  }

  /**
   * The host dropped these (free) pages' backing memory: they read back as zeros. Not a guest write, so
   * KVM's dirty log does not see it.
   */
  discard(start: number, end: number): void {
    this.versions.settle(start, end);
    this.versions.bumpRange(start, end);
    this.zero.addRange(start, end);
  }

  writeRange(start: number, end: number): void {
    if (end <= start) return;
    this.accessObserver?.beforeWriteRange(start, end);
    this.versions.settle(start, end);
    this.versions.bumpRange(start, end);
    this.zero.removeRange(start, end);
    this.pagesWritten += end - start;
    for (const o of this.observers) o.onWriteRange(start, end);
  }

  /**
   * Rewrites pages that already hold data (a job dirtying the working set it wrote when it began):
   * the zero set cannot change, which saves an update of it per batch, the costliest part at 1 TiB.
   * `pages` must be sorted and distinct.
   */
  rewritePages(pages: Uint32Array): void {
    if (pages.length === 0) return;
    this.accessObserver?.beforeRewritePages(pages);
    this.versions.markPages(pages);
    this.pagesWritten += pages.length;
    for (const o of this.observers) o.onRewritePages(pages);
  }
}
