import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng } from "../../src/core/rng.ts";
import { IndexMap, type PageWriter, RandomOrderSweep, SequentialSweep } from "../../src/guest-agent/sweep.ts";

/** Collects writes as a list of batches of pages. */
function recorder() {
  const batches: number[][] = [];
  const out: PageWriter = {
    writeRange: (s, e) => batches.push(Array.from({ length: e - s }, (_, i) => s + i)),
    rewritePages: (p) => batches.push(Array.from(p)),
  };
  return { batches, out };
}

const isSortedDistinct = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

for (const n of [1, 7, 1000, 65_536, 200_003]) {
  test(`random-order sweep of ${n} pages writes each page once per cycle, in sorted batches`, () => {
    const map = new IndexMap([{ start: 10, end: 10 + n }]);
    const sweep = new RandomOrderSweep(map, new Rng(1, "t"));
    const { batches, out } = recorder();
    let asked = 0;
    const step = Math.max(1, Math.floor(n / 13) + 0.37);
    while (asked + step <= n) {
      sweep.advance(step, out);
      asked += step;
    }
    sweep.advance(n - asked, out);
    const all = batches.flat();
    for (const b of batches) assert.ok(isSortedDistinct(b), "batch sorted and distinct");
    assert.is(all.length, n);
    assert.is(new Set(all).size, n);
    assert.ok(all.every((p) => p >= 10 && p < 10 + n));
  });
}

test("any window of k writes covers min(W, k) distinct pages (give or take the group count), spread", () => {
  const n = 300_000;
  const sweep = new RandomOrderSweep(new IndexMap([{ start: 0, end: n }]), new Rng(3, "t"));
  const { batches, out } = recorder();
  sweep.advance(12_345, out);
  const first = batches.flat();
  // 300,000 pages make 5 groups: at most 4 slots of a window can fall past the set.
  assert.is(new Set(first).size, first.length);
  assert.ok(Math.abs(first.length - 12_345) <= 4, `${first.length} pages`);
  // Spread: each tenth of the set gets roughly a tenth of the writes.
  const tenths = new Array(10).fill(0);
  for (const p of first) tenths[Math.floor((p * 10) / n)]++;
  for (const c of tenths) assert.ok(c > 1_000 && c < 1_450, `tenth holds ${c}`);
  sweep.advance(10 * n, out);
  assert.is(batches.flat().length, first.length + n, "a window longer than the set writes the set once");
});

test("sweeps map positions through several extents", () => {
  const map = new IndexMap([
    { start: 100, end: 110 },
    { start: 500, end: 505 },
  ]);
  const { batches, out } = recorder();
  new RandomOrderSweep(map, new Rng(1, "t")).advance(15, out);
  assert.equal(
    batches.flat().sort((a, b) => a - b),
    [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 500, 501, 502, 503, 504],
  );
});

test("sequential sweep wraps and carries fractions", () => {
  const { batches, out } = recorder();
  const s = new SequentialSweep(new IndexMap([{ start: 0, end: 10 }]));
  s.advance(2.5, out);
  s.advance(2.5, out);
  s.advance(8, out);
  assert.equal(batches, [
    [0, 1],
    [2, 3, 4],
    [5, 6, 7, 8, 9],
    [0, 1, 2],
  ]);
});

test("the same seed gives the same order; another seed another", () => {
  const run = (seed: number) => {
    const { batches, out } = recorder();
    new RandomOrderSweep(new IndexMap([{ start: 0, end: 5000 }]), new Rng(seed, "t")).advance(50, out);
    return batches.flat();
  };
  assert.equal(run(1), run(1));
  assert.not.equal(run(1), run(2));
});

test.run();
