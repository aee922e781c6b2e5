// The run folder a run leaves behind, `hintmig report` on it, and the index of an output directory.

import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resultProblem } from "../../src/cli/read-result.ts";
import { rebuildIndex } from "../../src/cli/write-index.ts";
import { resultJson } from "../../src/cli/write-result.ts";
import { runCreatedAt, runIdTime } from "../../src/store/run-folder.ts";
import { ROOT, runCli } from "../helpers/cli.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { runResult, variant } from "./fixtures.ts";

const DEFAULT = "scenarios/default.yaml";

const folder = suite("cli: the run folder and `report`");
let out = "";
folder.before.each(() => {
  out = makeTempDir();
});
folder.after.each(() => {
  removeDir(out);
});

/** Runs the default scenario into `out` and returns the run folder. */
async function runDefault(): Promise<string> {
  const { code, stdout, stderr } = await runCli(["run", DEFAULT, "--out", out]);
  assert.is(code, 0, stderr);
  return path.dirname(/^report: (.+)$/m.exec(stdout)![1]!);
}

folder("a run leaves result, report, scenario text, meta and the index", async () => {
  const dir = await runDefault();
  const id = path.basename(dir);
  assert.equal(fs.readdirSync(dir).sort(), ["meta.json", "report.html", "result.json", "scenario.yaml"]);
  assert.is(
    fs.readFileSync(path.join(dir, "scenario.yaml"), "utf8"),
    fs.readFileSync(path.join(ROOT, DEFAULT), "utf8"),
  );
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8"));
  assert.is(meta["run-id"], id);
  assert.is(meta["scenario-file"], DEFAULT);
  assert.is(runIdTime(id), `${meta["created-at"].slice(0, 19)}.000Z`, "the id carries the same second");
  const report = fs.readFileSync(path.join(dir, "report.html"), "utf8");
  assert.match(report, /^<!doctype html>/);
  assert.ok(report.includes(`hintmig run <code>${id}</code>`));
  const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
  assert.ok(index.includes(`href="${id}/report.html"`));
});

folder("`report DIR` and `report DIR/result.json` render the same report again", async () => {
  const dir = await runDefault();
  const file = path.join(dir, "report.html");
  const first = fs.readFileSync(file, "utf8");
  for (const target of [dir, path.join(dir, "result.json")]) {
    fs.rmSync(file);
    const { code, stdout, stderr } = await runCli(["report", target]);
    assert.is(code, 0, stderr);
    assert.is(stdout, `report: ${file}\nindex: ${path.join(out, "index.html")}\n`);
    assert.is(fs.readFileSync(file, "utf8"), first, "same input, same bytes");
  }
});

folder(
  "a folder from before reports (no scenario.yaml, no meta.json) still renders and is dated by its id",
  async () => {
    const dir = path.join(out, "default-20261122-052711-1efc");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "result.json"), resultJson(runResult([variant()])));
    const { code, stdout, stderr } = await runCli(["report", dir]);
    assert.is(code, 0, stderr);
    assert.is(stdout, `report: ${path.join(dir, "report.html")}\n`, "no index where there was none");
    const report = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    assert.ok(report.includes("2026-11-22 05:27:11 UTC"));
    assert.ok(report.includes("The scenario text was not saved with this run."));
  },
);

folder("a file that is not a result, or no file at all, exits 2 and names it", async () => {
  const bad = path.join(out, "bad.json");
  fs.writeFileSync(bad, JSON.stringify({ scenario: "x", seed: 1, variants: [{ name: "a" }] }));
  const notResult = await runCli(["report", bad]);
  assert.is(notResult.code, 2);
  assert.match(notResult.stderr, /bad\.json: not a hintmig result: variants\[0\]\.status is missing/);
  fs.writeFileSync(bad, "{ nope");
  const notJson = await runCli(["report", bad]);
  assert.is(notJson.code, 2);
  assert.match(notJson.stderr, /bad\.json: not JSON/);
  const missing = await runCli(["report", path.join(out, "nothing-here")]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /nothing-here/);
  assert.not.match(missing.stderr, /internal error/);
});

folder.run();

const parts = suite("cli: run folder helpers");
let dir = "";
parts.before.each(() => {
  dir = makeTempDir();
});
parts.after.each(() => {
  removeDir(dir);
});

parts("run ids carry their UTC time; other names do not", () => {
  assert.is(runIdTime("default-20261122-054130-f0c8"), "2026-11-22T05:41:30.000Z");
  assert.is(runIdTime("my-runs"), null);
  assert.is(runIdTime("x-20261399-999999-abcd"), null);
});

parts("runCreatedAt: meta.json, else the id, else the folder's mtime", () => {
  const run = path.join(dir, "default-20261122-054130-f0c8");
  fs.mkdirSync(run);
  assert.is(runCreatedAt(run), "2026-11-22T05:41:30.000Z");
  fs.writeFileSync(path.join(run, "meta.json"), JSON.stringify({ "created-at": "2026-11-23T00:00:00.000Z" }));
  assert.is(runCreatedAt(run), "2026-11-23T00:00:00.000Z");
  const other = path.join(dir, "elsewhere");
  fs.mkdirSync(other);
  assert.is(runCreatedAt(other), fs.statSync(other).mtime.toISOString());
});

parts("the index skips a damaged result with a warning and lists the rest", () => {
  for (const [name, text] of [
    ["good-20261122-054130-f0c8", resultJson(runResult([variant()]))],
    ["broken-20261122-054131-f0c8", "{ truncated"],
  ] as const) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "result.json"), text);
  }
  fs.mkdirSync(path.join(dir, "not-a-run"));
  const warnings: string[] = [];
  const file = rebuildIndex(dir, (message) => warnings.push(message));
  const index = fs.readFileSync(file, "utf8");
  assert.ok(index.includes("good-20261122-054130-f0c8/result.json"), "no report yet: links the result");
  assert.not.ok(index.includes("broken-"));
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /^index: skipped .*broken-20261122-054131-f0c8\/result\.json: /);
});

parts("resultProblem names the first missing or mistyped field", () => {
  assert.is(resultProblem(runResult([variant()])), null);
  assert.is(resultProblem([]), "not a JSON object");
  assert.is(resultProblem({ scenario: "x", seed: 1, variants: [] }), "`variants` is not a non-empty list");
  const { ram: _, ...noRam } = variant();
  assert.is(
    resultProblem({ scenario: "x", seed: 1, variants: [noRam] }),
    "variants[0].ram is missing, expected a object",
  );
});

parts.run();
