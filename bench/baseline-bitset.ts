// The baseline a user would write first: the same 1 TiB precopy work (bulk walk of every page, then
// 30 passes that each dirty and resend 10M pages) on plain Uint32Array bitsets, one bit per page.
// It models nothing else (no zero pages, no versions, no costs), so it is a floor for the bitmap work,
// not a competitor: the point is that roaring keeps up with it while the model does far more.

import { Rng } from "../src/core/rng.ts";
import { IndexMap, RandomOrderSweep } from "../src/guest-agent/sweep.ts";

export function runBitsetBaseline(
  totalPages: number,
  dirtyPerPass: number,
  passes: number,
): { sentPages: number } {
  const words = Math.ceil(totalPages / 32);
  const migration = new Uint32Array(words).fill(0xffffffff);
  const log = new Uint32Array(words);
  const popcount = (x: number) => {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  };
  const walk = () => {
    let sent = 0;
    for (let w = 0; w < words; w++) {
      const bits = migration[w]!;
      if (bits !== 0) {
        sent += popcount(bits);
        migration[w] = 0;
      }
    }
    return sent;
  };
  const ws = new IndexMap([{ start: totalPages / 2, end: totalPages / 2 + dirtyPerPass }]);
  const sweep = new RandomOrderSweep(ws, new Rng(1, "baseline"));
  const writer = {
    writeRange(s: number, e: number) {
      for (let p = s; p < e; p++) log[p >>> 5]! |= 1 << (p & 31);
    },
    rewritePages(pages: Uint32Array) {
      for (let i = 0; i < pages.length; i++) log[pages[i]! >>> 5]! |= 1 << (pages[i]! & 31);
    },
  };
  let sentPages = walk();
  for (let pass = 0; pass < passes; pass++) {
    // The guest's writes during the pass, in the same small batches the simulator uses.
    for (let k = 0; k < 1000; k++) sweep.advance(dirtyPerPass / 1000, writer);
    for (let w = 0; w < words; w++) {
      migration[w]! |= log[w]!;
      log[w] = 0;
    }
    sentPages += walk();
  }
  return { sentPages };
}
