import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { listBundledScenarios, loadScenarioFile } from "../../src/scenario/load.ts";
import { ScenarioError } from "../../src/scenario/parse.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";

const SCENARIOS = fileURLToPath(new URL("../../scenarios", import.meta.url));

const bundled = suite("scenarios: bundled files");

bundled("the listing finds the bundled scenarios, sorted", () => {
  const files = listBundledScenarios(SCENARIOS);
  assert.ok(files.includes(join(SCENARIOS, "default.yaml")));
  assert.ok(files.includes(join(SCENARIOS, "examples", "busy-guest.yaml")));
  assert.equal(files, [...files].sort());
});

bundled("every file under scenarios/ parses with no problems", () => {
  const files = listBundledScenarios(SCENARIOS);
  for (const file of files) {
    try {
      const { configs } = loadScenarioFile(file);
      assert.ok(configs.length >= 1, file);
    } catch (error) {
      assert.unreachable(error instanceof Error ? error.message : String(error));
    }
  }
});

bundled("default.yaml: 8 GiB, 4 vCPUs, 10GbE unthrottled, migrating right after the job ended", () => {
  const { configs } = loadScenarioFile(join(SCENARIOS, "default.yaml"));
  assert.equal(
    configs.map((c) => c.variantName),
    ["original", "free-page-hint", "free-page-reporting"],
  );
  assert.equal(
    configs.map((c) => [c.balloon.freePageHint, c.balloon.freePageReporting]),
    [
      [false, false],
      [true, false],
      [false, true],
    ],
  );
  const [config] = configs;
  assert.ok(config);
  assert.is(config.guest.memoryBytes, 8 * 2 ** 30);
  assert.is(config.guest.vcpus, 4);
  assert.is(config.network.bandwidthBytesPerSec, 1.25e9);
  assert.is(config.migration.parameters.maxBandwidthBytesPerSec, 1.25e9);
  const touch = config.workload.find((step) => step.kind === "touch");
  assert.ok(touch?.kind === "touch" && touch.rateBytesPerSec !== null);
  const jobEndsNs = (touch.bytes / touch.rateBytesPerSec) * 1e9;
  assert.ok(config.migration.startNs > jobEndsNs, "migration starts after the job");
  assert.ok(config.migration.startNs - jobEndsNs <= 0.5e9, "and just after it");
  assert.equal(
    config.workload.map((step) => step.kind),
    ["boot", "touch", "free", "idle"],
  );
});

bundled("busy-guest.yaml: auto-converge off and on, and a downtime-limit raise", () => {
  const { configs } = loadScenarioFile(join(SCENARIOS, "examples", "busy-guest.yaml"));
  assert.equal(
    configs.map((c) => c.migration.capabilities["auto-converge"]),
    [false, true],
  );
  for (const config of configs) {
    assert.is(config.guest.memoryBytes, 16 * 2 ** 30);
    assert.ok(
      config.commands.some(
        (c) => c.kind === "migrate-set-parameters" && c.parameters.downtimeLimitNs !== undefined,
      ),
    );
    const dirty = config.workload.find((step) => step.kind === "dirty");
    assert.ok(dirty?.kind === "dirty");
    assert.is(dirty.workingSetBytes, 2 ** 30);
    assert.is(dirty.rateBytesPerSec, 120 * 2 ** 20);
  }
});

const files = suite("scenarios: files");

files("a missing file is a ScenarioError naming it, at line 0", () => {
  try {
    loadScenarioFile("no/such/scenario.yaml");
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, ScenarioError);
    assert.equal((error as ScenarioError).problems, [
      { file: "no/such/scenario.yaml", line: 0, column: 0, path: "", message: "cannot read: no such file" },
    ]);
    assert.is((error as Error).message, "no/such/scenario.yaml:0:0: cannot read: no such file");
  }
});

files("listing is recursive, takes .yaml, .yml and .json, and sorts", () => {
  const dir = makeTempDir();
  try {
    mkdirSync(join(dir, "b", "c"), { recursive: true });
    for (const name of ["z.yaml", "a.json", "b/c/d.yml", "b/x.yaml", "notes.txt", "b/README.md"]) {
      writeFileSync(join(dir, name), "");
    }
    assert.equal(listBundledScenarios(dir), [
      join(dir, "a.json"),
      join(dir, "b/c/d.yml"),
      join(dir, "b/x.yaml"),
      join(dir, "z.yaml"),
    ]);
  } finally {
    removeDir(dir);
  }
});

files("problems name the file as given", () => {
  const dir = makeTempDir();
  try {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\nguest: { memory: 8G }\nworkload: []\n");
    try {
      loadScenarioFile(file);
      assert.unreachable("should have thrown");
    } catch (error) {
      assert.is(
        (error as Error).message,
        `${file}:2:18: guest.memory: got "8G"; expected a size like "8GiB" or "400MB"`,
      );
    }
  } finally {
    removeDir(dir);
  }
});

bundled.run();
files.run();
