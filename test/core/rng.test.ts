import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng } from "../../src/core/rng.ts";

test("the same seed and stream give the same sequence", () => {
  const a = new Rng(42, "workload");
  const b = new Rng(42, "workload");
  for (let i = 0; i < 100; i++) assert.is(a.nextUint32(), b.nextUint32());
});

test("streams and seeds are independent", () => {
  const draw = (r: Rng) => Array.from({ length: 8 }, () => r.nextUint32());
  assert.not.equal(draw(new Rng(42, "workload")), draw(new Rng(42, "channel")));
  assert.not.equal(draw(new Rng(42, "workload")), draw(new Rng(43, "workload")));
});

test("int(n) covers [0, n) evenly", () => {
  const r = new Rng(7, "t");
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
  for (const c of counts) assert.ok(c > 9_500 && c < 10_500, `bucket ${c}`);
});

test.run();
