// Postcopy is being added to the core while reports exist: the section must appear only for postcopy runs
// and cope with any subset of its fields.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { VariantResult } from "../../src/index.ts";
import { renderReport } from "../../src/report/index.ts";
import { postcopyFigures } from "../../src/report/postcopy.ts";
import { CREATED_AT, runResult, variant } from "./fixtures.ts";

const postcopy = suite("report: postcopy section");

const render = (variants: VariantResult[]) =>
  renderReport({ runId: "r", result: runResult(variants), scenarioText: "", createdAt: CREATED_AT });

/** A variant with extra fields the current types may not know, as a newer result.json would have. */
function withFields(fields: Record<string, unknown>, requests = 0): VariantResult {
  const base = variant({ name: "postcopy" });
  return { ...base, ...fields, ram: { ...base.ram, "postcopy-requests": requests } } as VariantResult;
}

postcopy("absent for precopy runs, including results without the field at all", () => {
  assert.is(postcopyFigures(variant()), null);
  const old = variant();
  const { "postcopy-requests": _, ...ram } = old.ram;
  assert.is(postcopyFigures({ ...old, ram } as VariantResult), null);
  assert.not.ok(render([old]).includes('id="postcopy"'));
});

postcopy("page requests alone are enough to show faults and block time", () => {
  const page = render([variant(), withFields({}, 1234)]);
  assert.ok(page.includes('<section id="postcopy"'));
  assert.ok(page.includes('<canvas id="chart-postcopy-faults"'));
  assert.ok(page.includes('<canvas id="chart-postcopy-blocktime"'));
  assert.ok(page.includes("1,234 page requests (ram.postcopy-requests)"));
  assert.ok(page.includes("postcopy page requests"), "and a row in the side-by-side table");
});

postcopy("QEMU's top-level postcopy-blocktime, or a postcopy object, are read by name", () => {
  const top = postcopyFigures(withFields({ "postcopy-blocktime": 42, "postcopy-vcpu-blocktime": [40, 12] }));
  assert.is(top?.blocktimeMs, 42);
  assert.equal(top?.vcpuBlocktimeMs, [40, 12]);
  const nested = postcopyFigures(
    withFields(
      {
        postcopy: {
          "free-page-policy": "zero-markers",
          "switch-ms": 900,
          faults: { requested: 10, local: 20, refused: 0 },
          "fault-latency-ms": { p50: 0.3, p90: 0.5, p99: 1.2, max: 2 },
          "postcopy-blocktime": 7.5,
          "postcopy-vcpu-blocktime": [7.5, "bad"],
          "precopy-bytes": 1024,
          "downtime-bytes": 2048,
          "postcopy-bytes": 4096,
        },
      },
      10,
    ),
  );
  assert.equal(nested, {
    requests: 10,
    blocktimeMs: 7.5,
    vcpuBlocktimeMs: null,
    faults: { requested: 10, local: 20, refused: 0 },
    latencyMs: { p50: 0.3, p90: 0.5, p99: 1.2, max: 2 },
    switchMs: 900,
    policy: "zero-markers",
    bytes: { precopy: 1024, downtime: 2048, postcopy: 4096 },
  });
  const page = render([
    withFields({ postcopy: { "postcopy-blocktime": 7.5, "free-page-policy": "<b>x</b>" } }),
  ]);
  assert.ok(page.includes("&lt;b&gt;x&lt;/b&gt;"), "policy text is escaped");
  assert.ok(page.includes("all vCPUs blocked for 7.5 ms"));
});

postcopy.run();
