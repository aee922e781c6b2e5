// What is still to send: the migration bitmap and the walk over it (QEMU's RAMState and
// ram_find_and_save_block). The walk goes in page order from where it stopped, wraps at the end, and
// takes pages one roaring container (64K pages) at a time so every bitmap operation stays cheap even
// at 1 TiB; how many pages a step takes is decided by the caller's time budget.

import {
  CONTAINER_PAGES,
  pageRange,
  RoaringBitmap32 as Roaring,
  type RoaringBitmap32,
  slice,
} from "../bitmap/roaring.ts";

/** Pages taken off the migration bitmap in one step; all lie in [start, end). */
export interface Chunk {
  start: number;
  end: number;
  pages: number;
  /** Pages whose content was all zeros when read. */
  zeroPages: number;
  /** The pages, sorted; null when every page of [start, end) was taken (a dense run). */
  list: Uint32Array | null;
}

/** How many of `pages` (of which `zeroPages` are zero) fit in the step's budget; at least 1. */
export type StepBudget = (pages: number, zeroPages: number) => number;

export class RamState {
  readonly bitmap: RoaringBitmap32;
  private cursor = 0;
  private dirty: number;

  /** Setup sets every page dirty: the first pass (the bulk stage) sends all of RAM. */
  constructor(readonly totalPages: number) {
    this.bitmap = pageRange(0, totalPages);
    this.dirty = totalPages;
  }

  /** Pages left to send (migration_dirty_pages). */
  get dirtyPages(): number {
    return this.dirty;
  }

  /** Adds the pages a sync collected from the dirty log. */
  merge(collected: RoaringBitmap32): void {
    this.bitmap.orInPlace(collected);
    this.dirty = this.bitmap.size;
  }

  /**
   * Clears [start, end) from the bitmap (a free-page hint); returns how many of those pages were still
   * to send. A range, not a set: an AND-NOT of a whole bitmap would walk all 4096 containers of a 1 TiB
   * guest per hint.
   */
  clearRange(start: number, end: number): number {
    const cleared = this.bitmap.rangeCardinality(start, end);
    if (cleared > 0) {
      this.bitmap.removeRange(start, end);
      this.dirty -= cleared;
    }
    return cleared;
  }

  /** Takes the next pages in walk order, reading their zero/data state from `zero`. */
  takeNext(zero: RoaringBitmap32, maxPages: number, budget: StepBudget): Chunk | null {
    if (this.dirty === 0) return null;
    // Every container is visited at most once per call, plus one wrap.
    for (let guard = Math.ceil(this.totalPages / CONTAINER_PAGES) + 2; guard > 0; guard--) {
      if (this.cursor >= this.totalPages) this.cursor = 0;
      const start = this.cursor;
      const windowEnd = Math.min(
        this.totalPages,
        (Math.floor(start / CONTAINER_PAGES) + 1) * CONTAINER_PAGES,
      );
      const n = this.bitmap.rangeCardinality(start, windowEnd);
      if (n === 0) {
        this.cursor = windowEnd;
        continue;
      }
      const dense = n === windowEnd - start;
      const window = dense ? null : slice(this.bitmap, start, windowEnd);
      const z = window === null ? zero.rangeCardinality(start, windowEnd) : window.andCardinality(zero);
      const take = Math.max(1, Math.min(n, maxPages, Math.floor(budget(n, z))));
      let chunk: Chunk;
      if (take === n) {
        chunk = { start, end: windowEnd, pages: n, zeroPages: z, list: window?.toUint32Array() ?? null };
      } else if (window === null) {
        const end = start + take;
        chunk = { start, end, pages: take, zeroPages: zero.rangeCardinality(start, end), list: null };
      } else {
        const list = window.rangeUint32Array(0, take);
        const end = list[take - 1]! + 1;
        chunk = { start, end, pages: take, zeroPages: new Roaring(list).andCardinality(zero), list };
      }
      this.bitmap.removeRange(chunk.start, chunk.end);
      this.dirty -= chunk.pages;
      this.cursor = chunk.end;
      return chunk;
    }
    throw new Error(`ram: ${this.dirty} dirty pages counted but none found in the bitmap`);
  }
}
