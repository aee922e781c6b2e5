// The one place that imports roaring. Under ESM the named import type-checks but fails at run time
// (roaring is CommonJS), so the class is taken from the default export here and re-exported.

import roaring from "roaring";

export const RoaringBitmap32 = roaring.RoaringBitmap32;
export type RoaringBitmap32 = InstanceType<typeof roaring.RoaringBitmap32>;

/** Pages per roaring container: the grain at which range operations stay cheap. */
export const CONTAINER_PAGES = 65536;

/** A new bitmap holding [start, end). */
export function pageRange(start: number, end: number): RoaringBitmap32 {
  const b = new RoaringBitmap32();
  if (end > start) b.addRange(start, end);
  return b;
}

/** The pages of `set` within [start, end), as a new bitmap (one container's worth of work per call). */
export function slice(set: RoaringBitmap32, start: number, end: number): RoaringBitmap32 {
  return RoaringBitmap32.and(set, pageRange(start, end));
}
