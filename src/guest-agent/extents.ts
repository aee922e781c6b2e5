// Page extents: a half-open range [start, end) of guest page frame numbers. Allocations are lists of
// extents, kept sorted and coalesced so a 7 GiB job is a handful of numbers, not millions.

export interface Extent {
  start: number;
  end: number;
}

export function extentPages(extents: readonly Extent[]): number {
  let n = 0;
  for (const e of extents) n += e.end - e.start;
  return n;
}

/** Sorts and merges touching extents. */
export function coalesce(extents: Extent[]): Extent[] {
  const sorted = [...extents].sort((a, b) => a.start - b.start);
  const out: Extent[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end === e.start) last.end = e.end;
    else out.push({ start: e.start, end: e.end });
  }
  return out;
}

/**
 * Splits off the last `pages` pages of an allocation (the most recently used end), returning
 * [kept, removed]. Used when a step frees only part of a named allocation.
 */
export function splitTail(extents: readonly Extent[], pages: number): [Extent[], Extent[]] {
  const kept = extents.map((e) => ({ ...e }));
  const removed: Extent[] = [];
  let left = pages;
  while (left > 0 && kept.length > 0) {
    const last = kept[kept.length - 1]!;
    const take = Math.min(left, last.end - last.start);
    removed.push({ start: last.end - take, end: last.end });
    last.end -= take;
    if (last.end === last.start) kept.pop();
    left -= take;
  }
  return [kept, coalesce(removed)];
}
