// The calibration set: the 2016 RFC's table, both cases, one set of host parameters.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { runScenario } from "../../src/index.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";

const FILES = [
  "scenarios/published/pv-hinting-2016-booted.yaml",
  "scenarios/published/pv-hinting-2016-job-ended.yaml",
];

test("both cases share one set of host and network parameters", () => {
  const [a, b] = FILES.map((f) => loadScenarioFile(f).configs[0]!);
  assert.equal(a!.host, b!.host);
  assert.equal(a!.network, b!.network);
});

for (const file of FILES) {
  test(`${file}: every cell within 15% of elapsed ms and 5% of transferred KB, nothing lost`, () => {
    const result = runScenario(loadScenarioFile(file).configs);
    assert.is(result.variants.length, 2);
    for (const v of result.variants) {
      assert.is(v.verification.mismatches, 0);
      const time = v.expect?.["total-time"];
      const kb = v.expect?.["transferred-kb"];
      assert.ok(time && kb, `${v.name} has published figures`);
      assert.ok(Math.abs(time["error-percent"]) <= 15, `${v.name}: ${time["error-percent"]}% on time`);
      assert.ok(Math.abs(kb["error-percent"]) <= 5, `${v.name}: ${kb["error-percent"]}% on KB`);
    }
  });
}

test("the default scenario: hinting sends far fewer KB in far fewer ms; reporting sits between", () => {
  const [original, hint, reporting] = runScenario(
    loadScenarioFile("scenarios/default.yaml").configs,
  ).variants;
  assert.is(original!.name, "original");
  for (const v of [original!, hint!, reporting!]) assert.is(v.verification.mismatches, 0);
  assert.ok(hint!.ram.transferred * 10 < original!.ram.transferred);
  assert.ok(hint!["total-time"] * 5 < original!["total-time"]);
  assert.ok(
    reporting!["total-time"] > hint!["total-time"] && reporting!["total-time"] < original!["total-time"],
  );
});

test.run();
