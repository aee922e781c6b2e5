import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { VariantResult } from "../../src/index.ts";
import { verdict } from "../../src/report/verdict.ts";
import { variant } from "./fixtures.ts";

const ranking = suite("report: which variant won");

function v(
  name: string,
  transferred: number,
  totalTime: number,
  downtime: number,
  extra: Partial<VariantResult> = {},
) {
  const base = variant({ name });
  return { ...base, ram: { ...base.ram, transferred }, "total-time": totalTime, downtime, ...extra };
}

ranking("the variant best on bytes and time wins, against the first variant", () => {
  const result = verdict([
    v("original", 8e9, 7373, 292),
    v("hint", 4e8, 431, 213),
    v("reporting", 4.1e8, 2221, 213.5),
  ]);
  assert.is(result.overall, "hint");
  const [bytes, time, downtime] = result.awards;
  assert.equal(bytes?.winners, ["hint"]);
  assert.equal(bytes?.baseline, { name: "original", value: 8e9 });
  assert.equal(time?.winners, ["hint"]);
  // 213 and 213.5 are within half a percent: a tie.
  assert.equal(downtime?.winners, ["hint", "reporting"]);
});

ranking("a variant that lost pages or failed is not ranked, however few bytes it sent", () => {
  const lossy = v("hints-after-sync", 1e6, 100, 10, {
    verification: { "checked-pages": 10, mismatches: 12, "mismatched-pages": [], scope: "destination" },
  });
  const failed = v("broken", 1e3, 10, 1, { status: "failed", "error-desc": "link down" });
  const result = verdict([v("original", 8e9, 7373, 292), lossy, failed, v("hint", 4e8, 431, 213)]);
  assert.is(result.overall, "hint");
  assert.equal(result.unranked, [
    { name: "hints-after-sync", reason: "verifier: 12 mismatches" },
    { name: "broken", reason: "failed: link down" },
  ]);
});

ranking("different winners on bytes and time: no overall winner; one variant: no awards", () => {
  const split = verdict([v("a", 1e9, 100, 10), v("b", 2e9, 50, 10)]);
  assert.is(split.overall, null);
  assert.equal(split.awards[0]?.winners, ["a"]);
  assert.equal(split.awards[1]?.winners, ["b"]);
  assert.equal(split.awards[1]?.baseline, { name: "a", value: 100 });
  assert.equal(verdict([v("only", 1, 1, 1)]).awards, []);
});

ranking.run();
