import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { downsampleMinMax, type Point } from "../../src/report/downsample.ts";

const downsample = suite("report: min/max downsampling");

const series = (ys: readonly number[]): Point[] => ys.map((y, x) => ({ x, y }));

downsample("short series pass through unchanged", () => {
  const points = series([3, 1, 4, 1, 5]);
  assert.equal(downsampleMinMax(points, 500), points);
});

downsample("a 2000-sample series becomes at most 500 points with the first, last, lowest and highest", () => {
  const ys = Array.from({ length: 2000 }, (_, i) => Math.sin(i / 7) * 100 + (i === 1234 ? 999 : 0));
  ys[777] = -999;
  const out = downsampleMinMax(series(ys), 500);
  assert.ok(out.length <= 500, `${out.length} points`);
  assert.ok(out.length > 400, "uses the budget");
  assert.equal(out[0], { x: 0, y: ys[0] });
  assert.equal(out.at(-1), { x: 1999, y: ys[1999] });
  assert.ok(
    out.some((p) => p.x === 1234 && p.y === ys[1234]),
    "keeps the spike",
  );
  assert.ok(
    out.some((p) => p.x === 777 && p.y === -999),
    "keeps the dip",
  );
});

downsample("property: bounded, ordered, a subset, and the extremes survive", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 3000 }),
      fc.integer({ min: 4, max: 600 }),
      (ys, max) => {
        const points = series(ys);
        const out = downsampleMinMax(points, max);
        assert.ok(out.length <= Math.max(max, ys.length <= max ? ys.length : 0));
        for (let i = 1; i < out.length; i++) assert.ok(out[i]!.x > out[i - 1]!.x, "strictly increasing x");
        for (const p of out) assert.is(p.y, ys[p.x]);
        assert.is(Math.max(...out.map((p) => p.y)), Math.max(...ys));
        assert.is(Math.min(...out.map((p) => p.y)), Math.min(...ys));
      },
    ),
    { numRuns: 200 },
  );
});

downsample.run();
