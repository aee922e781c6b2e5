// The CLI as a user meets it: a child process, its exit code, stdout and stderr.

import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunResult } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";

const DEFAULT = "scenarios/default.yaml";

const flags = suite("cli: bad flags exit 2 and name the flag");

flags("--seed abc names the flag, the value and what was expected", async () => {
  const { code, stdout, stderr } = await runCli(["run", DEFAULT, "--seed", "abc"]);
  assert.is(code, 2);
  assert.is(stdout, "");
  assert.match(stderr, /--seed/);
  assert.match(stderr, /'abc'/);
  assert.match(stderr, /non-negative integer/);
});

flags("--seed -1 and --seed 1.5 are refused too", async () => {
  for (const value of ["-1", "1.5", "1e3"]) {
    const { code, stderr } = await runCli(["run", DEFAULT, `--seed=${value}`]);
    assert.is(code, 2, value);
    assert.match(stderr, /--seed/);
  }
});

flags("an unknown option is named", async () => {
  const { code, stderr } = await runCli(["run", DEFAULT, "--frobnicate"]);
  assert.is(code, 2);
  assert.match(stderr, /unknown option '--frobnicate'/);
});

flags("an unknown command and a missing argument exit 2", async () => {
  const unknown = await runCli(["frobnicate"]);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /frobnicate/);
  const missing = await runCli(["run"]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /missing required argument 'file'/);
});

flags("--help exits 0 and lists the commands", async () => {
  const { code, stdout } = await runCli(["--help"]);
  assert.is(code, 0);
  for (const command of ["run", "report", "validate", "list"]) {
    assert.match(stdout, new RegExp(`\\b${command}\\b`));
  }
});

flags("a scenario file that does not exist exits 2 and names it", async () => {
  const { code, stderr } = await runCli(["run", "no-such-file.yaml"]);
  assert.is(code, 2);
  assert.match(stderr, /no-such-file\.yaml/);
  assert.not.match(stderr, /internal error/);
});

flags.run();

const scenarios = suite("cli: malformed scenarios exit 2 with file:line");
let dir = "";
scenarios.before.each(() => {
  dir = makeTempDir();
});
scenarios.after.each(() => {
  removeDir(dir);
});

scenarios("a YAML syntax error is reported at its line", async () => {
  const file = path.join(dir, "bad.yaml");
  fs.writeFileSync(file, "name: broken\ndescription: a test\nguest: { memory: [8GiB\n");
  for (const command of ["run", "validate"]) {
    const { code, stdout, stderr } = await runCli([command, file]);
    assert.is(code, 2, command);
    assert.is(stdout, "", command);
    assert.match(stderr, /bad\.yaml:\d+/, command);
    assert.not.match(stderr, /internal error/, command);
  }
});

scenarios("a field of the wrong type is reported at its line", async () => {
  const file = path.join(dir, "wrong.yaml");
  fs.writeFileSync(file, "name: wrong\nguest:\n  memory: lots\n");
  const { code, stderr } = await runCli(["validate", file]);
  assert.is(code, 2);
  assert.match(stderr, /wrong\.yaml:\d+/);
  assert.not.match(stderr, /internal error/);
});

scenarios.run();

const runs = suite("cli: run");
let out = "";
runs.before.each(() => {
  out = makeTempDir();
});
runs.after.each(() => {
  removeDir(out);
});

function resultPath(stderr: string): string {
  const match = /^result: (.+)$/m.exec(stderr);
  if (match?.[1] === undefined) throw new Error(`no result path in stderr:\n${stderr}`);
  return match[1];
}

runs("--json prints exactly the result, which equals result.json", async () => {
  const { code, stdout, stderr } = await runCli(["run", DEFAULT, "--json", "--seed", "7", "--out", out]);
  assert.is(code, 0, stderr);
  const result = JSON.parse(stdout) as RunResult;
  assert.is(result.seed, 7);
  assert.ok(result.variants.length > 0);
  const file = resultPath(stderr);
  assert.match(path.relative(out, file), /^[a-z0-9-]+-\d{8}-\d{6}-[0-9a-f]{4}\/result\.json$/);
  assert.is(fs.readFileSync(file, "utf8"), stdout);
  assert.is(stdout, `${JSON.stringify(result, null, 2)}\n`);
  assert.match(
    stderr,
    /^result: .+result\.json\nreport: .+report\.html\n$/,
    "the report path goes to stderr",
  );
});

runs("the same file and seed give byte-identical JSON", async () => {
  const first = await runCli(["run", DEFAULT, "--json", "--seed", "11", "--out", out]);
  const second = await runCli(["run", DEFAULT, "--json", "--seed", "11", "--out", out]);
  assert.is(first.code, 0, first.stderr);
  assert.is(second.stdout, first.stdout);
  assert.is.not(resultPath(first.stderr), resultPath(second.stderr));
});

runs("without --json it prints the table and the result path", async () => {
  const { code, stdout, stderr } = await runCli(["run", DEFAULT, "--out", out]);
  assert.is(code, 0, stderr);
  assert.match(
    stdout,
    /^variant\s+status\s+transferred KB\s+elapsed ms\s+downtime ms\s+setup ms\s+syncs\s+src idle %\s+dst idle %\s+verifier/,
  );
  assert.match(stdout, /\nresult: .+result\.json\nreport: .+report\.html\n$/);
  assert.not.ok(stderr.includes("\u001b["), "no progress bar when stderr is not a terminal");
});

runs("--variant runs only the named variants and refuses unknown ones", async () => {
  const all = JSON.parse((await runCli(["run", DEFAULT, "--json", "--out", out])).stdout) as RunResult;
  const name = all.variants[0]?.name ?? "";
  const one = await runCli(["run", DEFAULT, "--json", "--out", out, "--variant", name]);
  assert.is(one.code, 0, one.stderr);
  assert.equal(
    (JSON.parse(one.stdout) as RunResult).variants.map((variant) => variant.name),
    [name],
  );
  const unknown = await runCli(["run", DEFAULT, "--out", out, "--variant", "no-such-variant"]);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /--variant/);
  assert.match(unknown.stderr, /no-such-variant/);
});

runs.run();

const others = suite("cli: validate and list");

others("validate prints ok with the variant count", async () => {
  const { code, stdout } = await runCli(["validate", DEFAULT]);
  assert.is(code, 0);
  assert.match(stdout, /^scenarios\/default\.yaml: ok \(\d+ variants?\)\n$/);
});

others("list shows the bundled scenarios", async () => {
  const { code, stdout, stderr } = await runCli(["list"]);
  assert.is(code, 0, stderr);
  assert.match(stdout, /^file\s+name\s+variants\s+description/);
  assert.match(stdout, /scenarios\/default\.yaml/);
});

others.run();
