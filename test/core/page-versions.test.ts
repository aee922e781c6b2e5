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
  src.forEachDifference(dst, (p) => diffs.push(p));
  assert.is(diffs.length, 12);
  dst.copyRange(src, 65_530, 65_540);
  dst.copyPages(src, Uint32Array.from([3, 150_000]));
  diffs.length = 0;
  src.forEachDifference(dst, (p) => diffs.push(p));
  assert.equal(diffs, []);
});

test("untouched chunks cost no memory", () => {
  const v = new PageVersions(268_435_456);
  assert.is(v.allocatedBytes, 0);
  v.bumpRange(0, 10);
  assert.is(v.allocatedBytes, 65_536 * 4);
});

test.run();
