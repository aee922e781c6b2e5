import { test } from "uvu";
import * as assert from "uvu/assert";
import { PageVersions } from "../../src/core/page-versions.ts";

test("bumps, copies and differences across chunk boundaries", () => {
  const src = new PageVersions(200_000);
  const dst = new PageVersions(200_000);
  src.bumpRange(65_530, 65_540);
  src.bumpPages(Uint32Array.from([3, 65_535, 150_000]));
  assert.is(src.get(65_535), 2);
  assert.is(src.get(3), 1);
  assert.is(dst.get(3), 0);
  const diffs: number[] = [];
  const all = Uint32Array.from({ length: 200_000 }, (_, i) => i);
  src.compareAt(dst, all, (p) => diffs.push(p));
  assert.is(diffs.length, 12);
  dst.copyRange(src, 65_530, 65_540);
  dst.copyPages(src, Uint32Array.from([3, 150_000]));
  diffs.length = 0;
  src.compareAt(dst, all, (p) => diffs.push(p));
  assert.equal(diffs, []);
});

test("whole-chunk writes and copies keep a chunk a single number until its pages diverge", () => {
  const src = new PageVersions(4 * 65_536);
  const dst = new PageVersions(4 * 65_536);
  src.bumpRange(0, 4 * 65_536);
  src.bumpRange(65_536, 131_072);
  assert.is(src.allocatedBytes, 0);
  assert.equal([src.get(5), src.get(70_000)], [1, 2]);
  dst.copyRange(src, 0, 4 * 65_536);
  assert.is(dst.allocatedBytes, 0);
  assert.is(dst.get(70_000), 2);
  src.markPages(Uint32Array.from([70_001]));
  src.settleAll();
  assert.equal([src.get(70_000), src.get(70_001)], [2, 3], "a chunk diverges page by page when it must");
  const diffs: number[] = [];
  src.compareAt(dst, Uint32Array.from([5, 70_000, 70_001, 200_000]), (p) => diffs.push(p));
  assert.equal(diffs, [70_001]);
  dst.copyPages(src, Uint32Array.from([70_001]));
  assert.is(dst.get(70_001), 3);
});

test("untouched chunks cost no memory", () => {
  const v = new PageVersions(268_435_456);
  assert.is(v.allocatedBytes, 0);
  v.bumpRange(0, 10);
  assert.is(v.allocatedBytes, 65_536 * 4);
});

test("marked writes are bumped once when their range settles, and only there", () => {
  const v = new PageVersions(200_000);
  const marked = Uint32Array.from([5, 33, 34, 63, 64, 65_540, 150_001]);
  v.markPages(marked);
  v.markPages(Uint32Array.from([33]));
  assert.is(v.get(33), 0, "not bumped before settling");
  v.settle(34, 64);
  assert.equal([v.get(5), v.get(33), v.get(34), v.get(63), v.get(64)], [0, 0, 1, 1, 0]);
  v.settle(0, 100);
  assert.equal(
    [v.get(5), v.get(33), v.get(34), v.get(63), v.get(64)],
    [1, 1, 1, 1, 1],
    "marked twice, bumped once",
  );
  v.settleAll();
  assert.is(v.get(65_540), 1);
  assert.is(v.get(150_001), 1);
  v.settleAll();
  assert.is(v.get(150_001), 1, "settling twice bumps nothing more");
});

test.run();
