// What a page holds, as a version number: 0 for the zero page a fresh guest starts with, +1 for every
// write. The source's and the destination's copies are compared by the verifier.
//
// Versions live in chunks of 64K pages. A chunk whose pages all hold the same version is just that
// number; it becomes an array only when its pages diverge. A guest that booted with 100 GiB and ran a
// 900 GiB job is then a few thousand numbers, not 1 GiB of arrays, and copying a chunk that the bulk
// stage sends whole is one assignment.

import { CONTAINER_PAGES } from "../bitmap/roaring.ts";

const SHIFT = 16;
const MASK = CONTAINER_PAGES - 1;
const WORDS_PER_CHUNK = CONTAINER_PAGES / 32;

/** Every page of the chunk holds this version, or each its own. */
type Chunk = number | Uint32Array;

const versionAt = (c: Chunk, offset: number) => (typeof c === "number" ? c : c[offset]!);

export class PageVersions {
  private readonly chunks: Chunk[];
  /**
   * Per chunk, a bitset of pages written but not yet bumped (see markPages). A bitset beside each
   * chunk stays in cache for a working set of any size; a roaring set costs several times more per page.
   */
  private readonly pending: (Uint32Array | undefined)[];

  constructor(readonly totalPages: number) {
    this.chunks = new Array<Chunk>(Math.ceil(totalPages / CONTAINER_PAGES)).fill(0);
    this.pending = new Array(this.chunks.length).fill(undefined);
  }

  get(page: number): number {
    return versionAt(this.chunks[page >>> SHIFT]!, page & MASK);
  }

  /** The chunk as an array, making one from a uniform chunk if needed. */
  private array(index: number): Uint32Array {
    const c = this.chunks[index]!;
    if (typeof c !== "number") return c;
    const a = new Uint32Array(CONTAINER_PAGES);
    if (c !== 0) a.fill(c);
    this.chunks[index] = a;
    return a;
  }

  /** Pages of chunk `ci` (the last chunk may be short). */
  private chunkPages(ci: number): number {
    return Math.min(CONTAINER_PAGES, this.totalPages - ci * CONTAINER_PAGES);
  }

  /** One write to every page in [start, end). */
  bumpRange(start: number, end: number): void {
    for (let p = start; p < end; ) {
      const ci = p >>> SHIFT;
      const stop = Math.min(end, ci * CONTAINER_PAGES + this.chunkPages(ci));
      const c = this.chunks[ci]!;
      if (typeof c === "number" && stop - p === this.chunkPages(ci)) {
        this.chunks[ci] = c + 1;
      } else {
        const a = this.array(ci);
        for (let i = p & MASK, n = i + (stop - p); i < n; i++) a[i]! += 1;
      }
      p = stop;
    }
  }

  /** One write to each listed page; `pages` is sorted. */
  bumpPages(pages: Uint32Array): void {
    let ci = -1;
    let a: Uint32Array | undefined;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        a = this.array(ci);
      }
      a![p & MASK]! += 1;
    }
  }

  /**
   * Records writes without bumping yet: bumping at write time costs a cache miss per write once a
   * working set's versions outgrow the cache. A page marked any number of times is bumped once, when
   * its range is settled, which is all a comparison of versions needs. `pages` is sorted.
   */
  markPages(pages: Uint32Array): void {
    let ci = -1;
    let bits: Uint32Array | undefined;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        bits = this.pending[ci];
        if (bits === undefined) {
          bits = new Uint32Array(WORDS_PER_CHUNK);
          this.pending[ci] = bits;
        }
      }
      bits![(p & MASK) >>> 5]! |= 1 << (p & 31);
    }
  }

  /** Bumps every marked page in [start, end) once; call before reading or copying those versions. */
  settle(start: number, end: number): void {
    for (let p = start; p < end; ) {
      const ci = p >>> SHIFT;
      const stop = Math.min(end, (ci + 1) * CONTAINER_PAGES);
      const bits = this.pending[ci];
      if (bits !== undefined) this.settleChunk(ci, bits, p & MASK, stop - ci * CONTAINER_PAGES);
      p = stop;
    }
  }

  settleAll(): void {
    for (let ci = 0; ci < this.pending.length; ci++) {
      const bits = this.pending[ci];
      if (bits !== undefined) this.settleChunk(ci, bits, 0, CONTAINER_PAGES);
    }
  }

  /** Settles offsets [from, to) of one chunk, whole words at a time. */
  private settleChunk(ci: number, bits: Uint32Array, from: number, to: number): void {
    let versions: Uint32Array | undefined;
    for (let w = from >>> 5; w < (to + 31) >>> 5; w++) {
      let word = bits[w]!;
      if (word === 0) continue;
      // Keep bits of the first and last word that lie outside [from, to).
      const lo = Math.max(from, w << 5) - (w << 5);
      const hi = Math.min(to, (w + 1) << 5) - (w << 5);
      const mask = (hi === 32 ? 0xffffffff : (1 << hi) - 1) & ~((1 << lo) - 1);
      word &= mask;
      bits[w]! &= ~mask;
      versions ??= this.array(ci);
      while (word !== 0) {
        const low = word & -word;
        versions[(w << 5) + (31 - Math.clz32(low))]! += 1;
        word ^= low;
      }
    }
  }

  /** This copy now holds what `source` holds for [start, end). */
  copyRange(source: PageVersions, start: number, end: number): void {
    for (let p = start; p < end; ) {
      const ci = p >>> SHIFT;
      const stop = Math.min(end, ci * CONTAINER_PAGES + this.chunkPages(ci));
      const from = source.chunks[ci]!;
      const to = this.chunks[ci]!;
      if (stop - p === this.chunkPages(ci)) {
        // The whole chunk: share nothing mutable, but a uniform chunk stays a number.
        this.chunks[ci] = typeof from === "number" ? from : from.slice();
      } else if (typeof from === "number") {
        if (to !== from) this.array(ci).fill(from, p & MASK, (p & MASK) + (stop - p));
      } else {
        this.array(ci).set(from.subarray(p & MASK, (p & MASK) + (stop - p)), p & MASK);
      }
      p = stop;
    }
  }

  /** This copy now holds what `source` holds for each listed page; `pages` is sorted. */
  copyPages(source: PageVersions, pages: Uint32Array): void {
    let ci = -1;
    let from: Chunk = 0;
    let to: Uint32Array | null = null;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        from = source.chunks[ci]!;
        // Both uniform and equal: every listed page already matches.
        to = from === this.chunks[ci] ? null : this.array(ci);
      }
      if (to !== null) to[p & MASK] = versionAt(from, p & MASK);
    }
  }

  /**
   * Calls `onDiff` for each listed page (sorted) whose version differs between this copy and `other`,
   * in page order. Settle both first.
   */
  compareAt(
    other: PageVersions,
    pages: Uint32Array,
    onDiff: (page: number, mine: number, theirs: number) => void,
  ): void {
    let ci = -1;
    let a: Chunk = 0;
    let b: Chunk = 0;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        a = this.chunks[ci]!;
        b = other.chunks[ci]!;
      }
      if (typeof a === "number" && a === b) continue;
      const va = versionAt(a, p & MASK);
      const vb = versionAt(b, p & MASK);
      if (va !== vb) onDiff(p, va, vb);
    }
  }

  /** Bytes held in arrays, for memory accounting in benchmarks. */
  get allocatedBytes(): number {
    return this.chunks.reduce<number>((sum, c) => sum + (typeof c === "number" ? 0 : c.byteLength), 0);
  }
}
