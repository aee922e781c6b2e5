// What the source tells the destination at the switch, besides device state:
// - the discard list: pages still dirty that the destination holds (stale copies); it drops them, so
//   the guest faults on them and gets the current content (QEMU's postcopy_each_ram_send_discard);
// - hintmig's zero-range markers: pages the destination does not hold and the source will never push
//   because the guest hinted them free; the destination maps zero pages there without asking.
// Both go as ranges: a run of pages costs one message, not one per page.

import { pageRange, RoaringBitmap32 as Roaring, type RoaringBitmap32 } from "../bitmap/roaring.ts";

/** Bytes per range message: a 64-bit start and a 32-bit length, framed. */
export const RANGE_MESSAGE_BYTES = 16;

export interface Switchover {
  discard: RoaringBitmap32;
  discardRanges: number;
  zeroMarkers: RoaringBitmap32;
  zeroMarkerRanges: number;
}

/** Runs of consecutive pages in a set. */
export function countRanges(set: RoaringBitmap32): number {
  let ranges = 0;
  let prev = -2;
  for (const p of set.toUint32Array()) {
    if (p !== prev + 1) ranges++;
    prev = p;
  }
  return ranges;
}

/**
 * `toSend` is the source's migration bitmap after the final sync; `present` what the destination
 * holds. With `markers`, every page in neither gets a zero-range marker.
 */
export function planSwitchover(
  totalPages: number,
  toSend: RoaringBitmap32,
  present: RoaringBitmap32,
  markers: boolean,
): Switchover {
  const discard = Roaring.and(toSend, present);
  const zeroMarkers = markers
    ? Roaring.andNot(Roaring.andNot(pageRange(0, totalPages), present), toSend)
    : new Roaring();
  return {
    discard,
    discardRanges: countRanges(discard),
    zeroMarkers,
    zeroMarkerRanges: countRanges(zeroMarkers),
  };
}
