// What a page holds, as a version number: 0 for the zero page a fresh guest starts with, +1 for every
// write. The source's and the destination's copies are compared by the verifier. Versions live in
// chunks of 64K pages allocated on first use, so a 1 TiB guest that touched 10 GiB keeps 10 GiB / 1024
// of versions, not 1 GiB.

import { CONTAINER_PAGES } from "../bitmap/roaring.ts";

const SHIFT = 16;
const MASK = CONTAINER_PAGES - 1;

const WORDS_PER_CHUNK = CONTAINER_PAGES / 32;

export class PageVersions {
  private readonly chunks: (Uint32Array | undefined)[];
  /**
   * Per chunk, a bitset of pages written but not yet bumped (see markPages). A bitset beside each
   * chunk stays in cache for a working set of any size; a roaring set costs several times more per page.
   */
  private readonly pending: (Uint32Array | undefined)[];

  constructor(readonly totalPages: number) {
    this.chunks = new Array(Math.ceil(totalPages / CONTAINER_PAGES)).fill(undefined);
    this.pending = new Array(this.chunks.length).fill(undefined);
  }

  get(page: number): number {
    return this.chunks[page >>> SHIFT]?.[page & MASK] ?? 0;
  }

  private chunk(index: number): Uint32Array {
    let c = this.chunks[index];
    if (c === undefined) {
      c = new Uint32Array(CONTAINER_PAGES);
      this.chunks[index] = c;
    }
    return c;
  }

  /** One write to every page in [start, end). */
  bumpRange(start: number, end: number): void {
    for (let p = start; p < end; ) {
      const ci = p >>> SHIFT;
      const stop = Math.min(end, (ci + 1) * CONTAINER_PAGES);
      const c = this.chunk(ci);
      for (let i = p & MASK, n = i + (stop - p); i < n; i++) c[i]! += 1;
      p = stop;
    }
  }

  /** One write to each listed page; `pages` is sorted. */
  bumpPages(pages: Uint32Array): void {
    let ci = -1;
    let c: Uint32Array | undefined;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        c = this.chunk(ci);
      }
      c![p & MASK]! += 1;
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
    const versions = this.chunk(ci);
    for (let w = from >>> 5; w < (to + 31) >>> 5; w++) {
      let word = bits[w]!;
      if (word === 0) continue;
      // Keep bits of the first and last word that lie outside [from, to).
      const lo = Math.max(from, w << 5) - (w << 5);
      const hi = Math.min(to, (w + 1) << 5) - (w << 5);
      const mask = (hi === 32 ? 0xffffffff : (1 << hi) - 1) & ~((1 << lo) - 1);
      word &= mask;
      bits[w]! &= ~mask;
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
      const stop = Math.min(end, (ci + 1) * CONTAINER_PAGES);
      const from = source.chunks[ci];
      const to = this.chunks[ci];
      // Both absent: both hold version 0 there already; no need to allocate.
      if (from !== undefined || to !== undefined) {
        const dst = to ?? this.chunk(ci);
        if (from === undefined) dst.fill(0, p & MASK, (p & MASK) + (stop - p));
        else dst.set(from.subarray(p & MASK, (p & MASK) + (stop - p)), p & MASK);
      }
      p = stop;
    }
  }

  /** This copy now holds what `source` holds for each listed page; `pages` is sorted. */
  copyPages(source: PageVersions, pages: Uint32Array): void {
    let ci = -1;
    let from: Uint32Array | undefined;
    let to: Uint32Array | undefined;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        from = source.chunks[ci];
        to = from === undefined ? this.chunks[ci] : this.chunk(ci);
      }
      if (to !== undefined) to[p & MASK] = from === undefined ? 0 : from[p & MASK]!;
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
    let a: Uint32Array | undefined;
    let b: Uint32Array | undefined;
    for (let k = 0; k < pages.length; k++) {
      const p = pages[k]!;
      if (p >>> SHIFT !== ci) {
        ci = p >>> SHIFT;
        a = this.chunks[ci];
        b = other.chunks[ci];
      }
      const va = a === undefined ? 0 : a[p & MASK]!;
      const vb = b === undefined ? 0 : b[p & MASK]!;
      if (va !== vb) onDiff(p, va, vb);
    }
  }

  /** Bytes held, for memory accounting in benchmarks. */
  get allocatedBytes(): number {
    return this.chunks.reduce((sum, c) => sum + (c === undefined ? 0 : c.byteLength), 0);
  }
}
