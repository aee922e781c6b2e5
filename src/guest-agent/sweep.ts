// How a dirtying job walks its working set. A sweep writes every page of the set once per cycle, so the
// distinct pages written in any interval t are min(W, D·t): the dirty-rate meaning QEMU's calc-dirty-rate
// measures and the one the classic precopy model (and SimGrid's) assumes.
//
// The random-order sweep must hand pages to roaring in sorted batches (sorted inserts cost ~4 ns, random
// ones ~230 ns), so its permutation is built to make every window of the cycle cheap to emit sorted:
// the index space is cut into G groups of L ≤ 64K slots; slot s is round s / G of group s % G, and round j
// writes offset σ(j) + ρ(g) (mod L) in every group g, with σ a random permutation of [0, L) and ρ a
// random rotation per group. A window of k consecutive slots is then "these ⌈k/G⌉ offsets, rotated, in
// each group": one small sort, then a linear emit. Consecutive writes land in different groups, so any
// window is spread evenly over the whole set.

import type { Rng } from "../core/rng.ts";
import type { Extent } from "./extents.ts";

/**
 * Where sweeps put their writes: the guest's memory. Sweeps only run over working sets their step
 * wrote when it began, so every page they write already holds data.
 */
export interface PageWriter {
  writeRange(start: number, end: number): void;
  /** Sorted, distinct pages, all already holding data. */
  rewritePages(pages: Uint32Array): void;
}

/** Maps positions in a working set [0, n) to guest pages, through the set's extents. */
export class IndexMap {
  private readonly starts: Float64Array;
  private readonly offsets: Float64Array;
  readonly size: number;

  constructor(extents: readonly Extent[]) {
    this.starts = new Float64Array(extents.length);
    this.offsets = new Float64Array(extents.length + 1);
    let n = 0;
    extents.forEach((e, i) => {
      this.starts[i] = e.start;
      this.offsets[i] = n;
      n += e.end - e.start;
    });
    this.offsets[extents.length] = n;
    this.size = n;
  }

  /** Writes positions [i0, i1) as page ranges. */
  writeRange(i0: number, i1: number, out: PageWriter): void {
    for (let x = 0; x < this.starts.length && i0 < i1; x++) {
      const lo = this.offsets[x]!;
      const hi = this.offsets[x + 1]!;
      if (i0 >= hi) continue;
      const a = Math.max(i0, lo);
      const b = Math.min(i1, hi);
      out.writeRange(this.starts[x]! + (a - lo), this.starts[x]! + (b - lo));
      i0 = b;
    }
  }

  /** For a set that is one extent: the page of position 0 (positions map by adding it); else null. */
  get singleBase(): number | null {
    return this.starts.length === 1 ? this.starts[0]! : null;
  }

  /** Replaces sorted positions by their pages, in place (still sorted: extents are in page order). */
  mapSorted(positions: Uint32Array): Uint32Array {
    let k = 0;
    for (let x = 0; x < this.starts.length && k < positions.length; x++) {
      const hi = this.offsets[x + 1]!;
      const delta = this.starts[x]! - this.offsets[x]!;
      while (k < positions.length && positions[k]! < hi) positions[k++]! += delta;
    }
    return positions;
  }
}

export interface Sweep {
  /** Writes the next `pages` pages of the cycle (fractions carry over to the next call). */
  advance(pages: number, out: PageWriter): void;
}

/** Address order, wrapping: memset-like jobs, mempress. */
export class SequentialSweep implements Sweep {
  private pos = 0;
  private carry = 0;

  constructor(
    private readonly map: IndexMap,
    private readonly first = 0,
    private readonly n = map.size,
  ) {}

  advance(pages: number, out: PageWriter): void {
    const whole = Math.floor(pages + this.carry + 1e-9);
    this.carry = pages + this.carry - whole;
    if (whole <= 0 || this.n === 0) return;
    if (whole >= this.n) {
      this.map.writeRange(this.first, this.first + this.n, out);
      return;
    }
    const end = this.pos + whole;
    this.map.writeRange(this.first + this.pos, this.first + Math.min(end, this.n), out);
    if (end > this.n) this.map.writeRange(this.first, this.first + (end - this.n), out);
    this.pos = end % this.n;
  }
}

/** murmur3's finalizer: a cheap, well-mixed per-group rotation without storing one per group. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export const SWEEP_GROUP_SLOTS = 65536;

/** A random order over positions [first, first + n) of a working set; see the file comment. */
export class RandomOrderSweep implements Sweep {
  private readonly L: number;
  private readonly G: number;
  private readonly sigma: Uint32Array;
  private readonly rhoSeed: number;
  /** Next slot of the cycle, in [0, L·G). */
  private pos = 0;
  private carry = 0;

  constructor(
    private readonly map: IndexMap,
    rng: Rng,
    private readonly first = 0,
    private readonly n = map.size,
  ) {
    // Groups as even as possible: at most G - 1 of the L·G slots fall past n, so a window of k slots
    // holds k valid positions give or take G.
    this.G = Math.max(1, Math.ceil(n / SWEEP_GROUP_SLOTS));
    this.L = Math.max(1, Math.ceil(n / this.G));
    this.sigma = new Uint32Array(this.L);
    for (let i = 0; i < this.L; i++) this.sigma[i] = i;
    for (let i = this.L - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = this.sigma[i]!;
      this.sigma[i] = this.sigma[j]!;
      this.sigma[j] = t;
    }
    this.rhoSeed = rng.nextUint32();
  }

  advance(pages: number, out: PageWriter): void {
    if (this.n === 0) return;
    const cycle = this.L * this.G;
    // Slots past n in the last group are skipped, so ask for proportionally more slots.
    const wanted = pages * (cycle / this.n) + this.carry;
    // The epsilon keeps a sum of fractions that should be whole from losing a page to rounding.
    const slots = Math.floor(wanted + 1e-9);
    this.carry = wanted - slots;
    if (slots <= 0) return;
    if (slots >= cycle) {
      this.map.writeRange(this.first, this.first + this.n, out);
      return;
    }
    const end = this.pos + slots;
    this.emit(this.pos, Math.min(end, cycle), out);
    if (end > cycle) this.emit(0, end - cycle, out);
    this.pos = end % cycle;
  }

  private rho(g: number): number {
    return mix(this.rhoSeed ^ Math.imul(g + 1, 0x9e3779b1)) % this.L;
  }

  /** Writes the positions of slots [a, b), sorted, as one batch. */
  private emit(a: number, b: number, out: PageWriter): void {
    const { L, G, n, sigma } = this;
    const result = new Uint32Array(b - a);
    let count = 0;
    const j0 = Math.floor(a / G);
    const g0 = a % G;
    const j1 = Math.floor((b - 1) / G);
    const g1 = (b - 1) % G;
    if (j0 === j1) {
      for (let g = g0; g <= g1; g++) {
        const idx = g * L + ((sigma[j0]! + this.rho(g)) % L);
        if (idx < n) result[count++] = idx;
      }
    } else {
      // Groups from g0 on also get round j0, groups up to g1 also round j1: four possible offset sets,
      // each sorted once here rather than once per group.
      const full = sigma.slice(j0 + 1, j1).sort();
      const sets = [
        full,
        withValue(full, sigma[j0]!),
        withValue(full, sigma[j1]!),
        withValue(withValue(full, sigma[j0]!), sigma[j1]!),
      ];
      for (let g = 0; g < G; g++) {
        const offsets = sets[(g >= g0 ? 1 : 0) + (g <= g1 ? 2 : 0)]!;
        const r = this.rho(g);
        const base = g * L;
        // Offsets v + r wrap past L for v >= L - r; those come first in sorted order.
        const split = lowerBound(offsets, L - r);
        const last = base + L > n;
        for (let i = split; i < offsets.length; i++) {
          const idx = base + offsets[i]! + r - L;
          if (!last || idx < n) result[count++] = idx;
        }
        for (let i = 0; i < split; i++) {
          const idx = base + offsets[i]! + r;
          if (!last || idx < n) result[count++] = idx;
        }
      }
    }
    const positions = result.subarray(0, count);
    // One extent (the common case): a single pass adds the offset; otherwise map through the extents.
    const base = this.map.singleBase;
    const add = this.first + (base ?? 0);
    if (add !== 0) for (let i = 0; i < count; i++) positions[i]! += add;
    out.rewritePages(base === null ? this.map.mapSorted(positions) : positions);
  }
}

/** A sorted copy of `sorted` with `x` inserted. */
function withValue(sorted: Uint32Array, x: number): Uint32Array {
  const out = new Uint32Array(sorted.length + 1);
  const at = lowerBound(sorted, x);
  out.set(sorted.subarray(0, at), 0);
  out[at] = x;
  out.set(sorted.subarray(at), at + 1);
  return out;
}

function lowerBound(a: Uint32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
