// The guest kernel's page allocator, buddy style: free memory is kept as blocks of 2^order pages on
// one free list per order; allocating splits larger blocks, freeing merges a block with its free buddy.
// Free-page hinting takes whole blocks of one order off these lists (as the virtio-balloon driver does
// with alloc_pages), which is why the model needs real free lists, not just a free-page count.
//
// Lists are LIFO and freed memory goes on top, so like Linux the most recently freed (and, at boot, the
// highest) blocks are handed out first.

import { coalesce, type Extent } from "./extents.ts";

/** Linux's MAX_ORDER - 1 on x86: blocks of 1024 pages (4 MiB with 4 KiB pages). */
export const DEFAULT_MAX_ORDER = 10;

export class BuddyAllocator {
  /** Per order: a stack of block starts; may hold stale entries, `members` is authoritative. */
  private readonly stacks: number[][];
  private readonly members: Set<number>[];
  private free = 0;

  constructor(
    readonly totalPages: number,
    readonly maxOrder: number = DEFAULT_MAX_ORDER,
  ) {
    this.stacks = Array.from({ length: maxOrder + 1 }, () => []);
    this.members = Array.from({ length: maxOrder + 1 }, () => new Set<number>());
    this.release([{ start: 0, end: totalPages }]);
  }

  get freePages(): number {
    return this.free;
  }

  /** Free blocks of `order`, for inspection and hinting. */
  freeBlocks(order: number): number {
    return this.members[order]?.size ?? 0;
  }

  /** Free blocks of `order` or larger, in a deterministic order (insertion order of the lists). */
  blocksAtLeast(order: number): Extent[] {
    const out: Extent[] = [];
    for (let o = this.maxOrder; o >= order; o--) {
      for (const start of this.members[o]!) out.push({ start, end: start + (1 << o) });
    }
    return out;
  }

  /**
   * Allocates `pages` pages as a few large blocks. Returns null, allocating nothing, when there is not
   * enough free memory.
   */
  allocate(pages: number): Extent[] | null {
    if (pages > this.free) return null;
    const got: Extent[] = [];
    let left = pages;
    while (left > 0) {
      let order = Math.min(this.maxOrder, Math.floor(Math.log2(left)));
      let start = this.takeBlock(order);
      // Fragmented: no block that large anywhere; fall back to smaller ones.
      while (start === undefined && order > 0) start = this.takeBlock(--order);
      if (start === undefined) throw new Error("allocator: free count and free lists disagree");
      got.push({ start, end: start + (1 << order) });
      left -= 1 << order;
    }
    return coalesce(got);
  }

  /** Returns pages to the free lists, merging buddies. */
  release(extents: readonly Extent[]): void {
    for (const e of extents) {
      let p = e.start;
      // Cut the extent into the largest aligned blocks it contains.
      while (p < e.end) {
        let order = this.maxOrder;
        while (order > 0 && (p % (1 << order) !== 0 || p + (1 << order) > e.end)) order--;
        this.insertMerging(p, order);
        p += 1 << order;
      }
    }
  }

  /**
   * Removes one free block of exactly `order` (splitting a larger block if needed) and returns its
   * first page, or undefined when no block of that order or larger is free.
   */
  takeBlock(order: number): number | undefined {
    let from = order;
    let start = this.pop(from);
    while (start === undefined && from < this.maxOrder) start = this.pop(++from);
    if (start === undefined) return undefined;
    // Put the upper halves back as we split down to the wanted order.
    while (from > order) {
      from--;
      this.push(start + (1 << from), from);
    }
    this.free -= 1 << order;
    return start;
  }

  private insertMerging(start: number, order: number): void {
    this.free += 1 << order;
    while (order < this.maxOrder) {
      const buddy = start ^ (1 << order);
      if (buddy + (1 << order) > this.totalPages || !this.members[order]!.delete(buddy)) break;
      start = Math.min(start, buddy);
      order++;
    }
    this.push(start, order);
  }

  private push(start: number, order: number): void {
    this.members[order]!.add(start);
    this.stacks[order]!.push(start);
  }

  private pop(order: number): number | undefined {
    const stack = this.stacks[order]!;
    const members = this.members[order]!;
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (members.delete(s)) return s;
    }
    return undefined;
  }
}
