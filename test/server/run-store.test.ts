// Runs on disk: unique folders, ordered status writes, loading what is there (server runs, CLI runs,
// junk), and what a new server makes of runs a previous process left unfinished.

import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runScenario } from "../../src/index.ts";
import { parseScenario } from "../../src/scenario/parse.ts";
import { RunStore, STATUS_FILE, WORKER_FILES } from "../../src/server/run-store.ts";
import type { RunStatus } from "../../src/server/schemas.ts";
import { resultJson } from "../../src/store/result-json.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { buildTestApp, manualRunner, TINY_YAML, testConfig } from "./helpers.ts";

let dir = "";

function status(id: string, state: RunStatus["state"], createdAt = "2026-01-01T00:00:00.000Z"): RunStatus {
  return {
    id,
    scenario: "tiny",
    seed: 1,
    variants: ["base"],
    state,
    "created-at": createdAt,
    "started-at": state === "queued" ? null : createdAt,
    "finished-at": null,
    error: null,
    outcomes: [],
  };
}

function writeRun(id: string, files: Record<string, string>): void {
  fs.mkdirSync(path.join(dir, id), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, id, name), text);
}

const tinyResult = () => resultJson(runScenario(parseScenario(TINY_YAML, "x").configs));

const store = suite("server store: run folders");
store.before.each(() => {
  dir = makeTempDir("hintmig-store-");
});
store.after.each(() => removeDir(dir));

store("create gives every run its own folder, even hundreds in one second", async () => {
  const runs = new RunStore(dir);
  const date = new Date(Date.UTC(2026, 0, 1));
  const ids = await Promise.all(
    Array.from({ length: 400 }, () => runs.create("tiny", date, TINY_YAML, "x.yaml")),
  );
  assert.is(new Set(ids).size, 400);
  for (const id of ids.slice(0, 5)) {
    assert.is(fs.readFileSync(path.join(dir, id, "scenario.yaml"), "utf8"), TINY_YAML);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, id, "meta.json"), "utf8"));
    assert.equal(meta, { "run-id": id, "created-at": date.toISOString(), "scenario-file": "x.yaml" });
  }
});

store("status writes of one run land in call order, whole", async () => {
  const runs = new RunStore(dir);
  const id = await runs.create("tiny", new Date(), TINY_YAML, "x.yaml");
  const states: RunStatus["state"][] = ["queued", "running", "completed", "failed", "cancelled", "completed"];
  await Promise.all(states.map((state) => runs.writeStatus(status(id, state))));
  assert.is(JSON.parse(fs.readFileSync(path.join(dir, id, STATUS_FILE), "utf8")).state, "completed");
  assert.equal(fs.readdirSync(path.join(dir, id)).sort(), ["meta.json", "scenario.yaml", "status.json"]);
});

store("cleaning up after a killed worker leaves a status write in flight alone", async () => {
  const runs = new RunStore(dir);
  const id = await runs.create("tiny", new Date(), TINY_YAML, "x.yaml");
  const folder = path.join(dir, id);
  for (const name of [".status.json.1-aaaa.tmp", ".result.json.1-bbbb.tmp", ".report.html.1-cccc.tmp"]) {
    fs.writeFileSync(path.join(folder, name), "partial");
  }
  await runs.removeTempFiles(id, WORKER_FILES);
  assert.ok(fs.existsSync(path.join(folder, ".status.json.1-aaaa.tmp")));
  assert.not.ok(fs.existsSync(path.join(folder, ".result.json.1-bbbb.tmp")));
  assert.not.ok(fs.existsSync(path.join(folder, ".report.html.1-cccc.tmp")));
  // Many status writes while the worker's files are cleaned up: every one lands.
  await Promise.all([
    ...Array.from({ length: 20 }, () => runs.writeStatus(status(id, "running"))),
    ...Array.from({ length: 20 }, () => runs.removeTempFiles(id, WORKER_FILES)),
  ]);
  assert.is(JSON.parse(fs.readFileSync(path.join(folder, STATUS_FILE), "utf8")).state, "running");
});

store("runDir refuses anything that is not a run id", () => {
  const runs = new RunStore(dir);
  for (const id of ["..", "../x", "a/b", "", "tiny-20200101-000000-abcd/..", "x".repeat(200)]) {
    assert.throws(() => runs.runDir(id), /not a run id/, id);
  }
  assert.is(runs.runDir("tiny-20200101-000000-abcd"), path.join(dir, "tiny-20200101-000000-abcd"));
});

store(
  "loadAll: server runs, CLI runs (result.json only), junk skipped, temporary files removed",
  async () => {
    const result = tinyResult();
    writeRun("tiny-20260101-000001-aaaa", {
      "status.json": JSON.stringify({
        ...status("tiny-20260101-000001-aaaa", "completed"),
        outcomes: [{ name: "base", status: "completed" }],
      }),
      "result.json": result,
      ".result.json.123-abcd.tmp": "half",
    });
    writeRun("tiny-20260101-000002-bbbb", { "result.json": result });
    writeRun("not-a-run", { "result.json": result });
    writeRun("tiny-20260101-000003-cccc", { "status.json": "{ not json" });
    writeRun("tiny-20260101-000004-dddd", {
      "status.json": JSON.stringify(status("tiny-20260101-000009-ffff", "queued")),
    });
    writeRun("tiny-20260101-000005-eeee", {});
    const { runs, skipped } = await new RunStore(dir).loadAll();
    assert.equal(
      runs.map((run) => [run.status.id, run.status.state, run.fromCli, run.hasResult]),
      [
        ["tiny-20260101-000002-bbbb", "completed", true, true],
        ["tiny-20260101-000001-aaaa", "completed", false, true],
      ],
    );
    assert.is(skipped.length, 4);
    assert.ok(skipped.some((line) => line.startsWith("not-a-run: not a run id")));
    assert.ok(skipped.some((line) => /names another run/.test(line)));
    assert.not.ok(fs.existsSync(path.join(dir, "tiny-20260101-000001-aaaa", ".result.json.123-abcd.tmp")));
    const cli = runs[0]?.status;
    assert.is(cli?.["created-at"], "2026-01-01T00:00:02.000Z");
    assert.equal(cli?.outcomes, [{ name: "base", status: "completed" }]);
  },
);

store.run();

const recovery = suite("server store: runs a previous process left unfinished");
recovery.before.each(() => {
  dir = makeTempDir("hintmig-recovery-");
});
recovery.after.each(() => removeDir(dir));

recovery(
  "queued and running runs become failed (interrupted by restart); completed ones stay byte for byte",
  async () => {
    const result = tinyResult();
    const done = {
      ...status("tiny-20260101-000001-aaaa", "completed"),
      outcomes: [{ name: "base", status: "completed" as const }],
    };
    writeRun(done.id, {
      "status.json": JSON.stringify(done),
      "result.json": result,
      "report.html": "<p>r</p>",
    });
    writeRun("tiny-20260101-000002-bbbb", {
      "status.json": JSON.stringify(status("tiny-20260101-000002-bbbb", "running")),
    });
    writeRun("tiny-20260101-000003-cccc", {
      "status.json": JSON.stringify(status("tiny-20260101-000003-cccc", "queued")),
    });
    // Its worker wrote the result, then the process died before the status said so.
    writeRun("tiny-20260101-000004-dddd", {
      "status.json": JSON.stringify(status("tiny-20260101-000004-dddd", "running")),
      "result.json": result,
    });
    const before = fs.readFileSync(path.join(dir, done.id, "status.json"), "utf8");

    const app = await buildTestApp(testConfig(dir), manualRunner());
    try {
      const get = async (id: string) => (await app.inject(`/runs/${id}`)).json();
      const kept = await get(done.id);
      assert.is(kept.state, "completed");
      assert.equal(kept.result, JSON.parse(result));
      assert.is(fs.readFileSync(path.join(dir, done.id, "status.json"), "utf8"), before);
      assert.is(fs.readFileSync(path.join(dir, done.id, "result.json"), "utf8"), result);

      for (const id of ["tiny-20260101-000002-bbbb", "tiny-20260101-000003-cccc"]) {
        const run = await get(id);
        assert.is(run.state, "failed", id);
        assert.is(run.error, "interrupted by restart");
        const disk = JSON.parse(fs.readFileSync(path.join(dir, id, "status.json"), "utf8"));
        assert.is(disk.state, "failed");
        assert.is(disk.error, "interrupted by restart");
      }
      const finished = await get("tiny-20260101-000004-dddd");
      assert.is(finished.state, "completed");
      assert.equal(finished.outcomes, [{ name: "base", status: "completed" }]);
      assert.equal(finished.result, JSON.parse(result));
      // Nothing is re-queued.
      assert.equal((await app.inject("/healthz")).json().queued, 0);
    } finally {
      await app.close();
    }
  },
);

recovery.run();
