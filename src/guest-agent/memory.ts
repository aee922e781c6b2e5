// The guest's RAM, page by page: which pages the guest kernel has allocated, which hold only zeros,
// and what version of its content each page holds. Writers (the workload) call write*; observers (KVM's
// dirty log while migration runs) see every write as a batch of pages.

import { pageRange, RoaringBitmap32 as Roaring, type RoaringBitmap32 } from "../bitmap/roaring.ts";
import { PageVersions } from "../core/page-versions.ts";
import { BuddyAllocator } from "./allocator.ts";
import type { Extent } from "./extents.ts";

/** Pages written at one instant; `set` is shared with every observer and must not be modified. */
export type WriteObserver = (set: RoaringBitmap32) => void;

export class GuestMemory {
  readonly totalPages: number;
  readonly allocator: BuddyAllocator;
  /** Pages the guest kernel has handed out (the rest are on its free lists or held by the balloon). */
  readonly allocated = new Roaring();
  /** Pages whose content is all zeros: never written since boot, or discarded by the host. */
  readonly zero: RoaringBitmap32;
  /** Content of every page on this (the source) side. */
  readonly versions: PageVersions;
  private readonly observers: WriteObserver[] = [];
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

  observe(observer: WriteObserver): () => void {
    this.observers.push(observer);
    return () => {
      const i = this.observers.indexOf(observer);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** Takes pages off the allocator; null when the guest is out of memory. */
  allocate(pages: number): Extent[] | null {
    const extents = this.allocator.allocate(pages);
    if (extents !== null) for (const e of extents) this.allocated.addRange(e.start, e.end);
    return extents;
  }

  /** Gives pages back to the allocator; their content stays (Linux does not clear on free). */
  release(extents: readonly Extent[]): void {
    for (const e of extents) this.allocated.removeRange(e.start, e.end);
    this.allocator.release(extents);
  }

  writeRange(start: number, end: number): void {
    if (end <= start) return;
    this.versions.bumpRange(start, end);
    this.zero.removeRange(start, end);
    this.pagesWritten += end - start;
    if (this.observers.length > 0) this.notify(pageRange(start, end));
  }

  /** `pages` must be sorted and distinct. */
  writePages(pages: Uint32Array): void {
    if (pages.length === 0) return;
    this.versions.bumpPages(pages);
    const set = new Roaring(pages);
    this.zero.andNotInPlace(set);
    this.pagesWritten += pages.length;
    this.notify(set);
  }

  private notify(set: RoaringBitmap32): void {
    for (const o of this.observers) o(set);
  }
}
