// The queue through the API, with a runner the test drives by hand: bounded length (429 + Retry-After),
// order, progress, cancellation of queued and running runs, the wall-time limit, and shutdown.

import * as fs from "node:fs";
import * as path from "node:path";
import type { FastifyInstance } from "fastify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunLimits } from "../../src/server/config.ts";
import { STOP } from "../../src/server/worker-protocol.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import {
  buildTestApp,
  type ManualTask,
  manualRunner,
  parseSse,
  TINY_YAML,
  testConfig,
  waitFor,
} from "./helpers.ts";

interface RunBody {
  id: string;
  state: string;
  error: string | null;
  progress: Record<string, unknown> | null;
  "queue-position": number | null;
}

let dir = "";
let app: FastifyInstance;
let runner: ReturnType<typeof manualRunner>;

async function setUp(limits: Partial<RunLimits> = {}) {
  dir = makeTempDir("hintmig-queue-");
  runner = manualRunner(1);
  app = await buildTestApp(testConfig(dir, { limits: { ...testConfig(dir).limits, ...limits } }), runner);
}

async function tearDown() {
  await app.close();
  removeDir(dir);
}

async function post(): Promise<{ status: number; body: RunBody; headers: Record<string, unknown> }> {
  const response = await app.inject({
    method: "POST",
    url: "/runs",
    headers: { "content-type": "application/yaml" },
    payload: TINY_YAML,
  });
  return { status: response.statusCode, body: response.json<RunBody>(), headers: response.headers };
}

const get = async (id: string) => (await app.inject(`/runs/${id}`)).json<RunBody>();

const flag = (task: ManualTask | undefined) =>
  Atomics.load(new Int32Array(task?.task.stop ?? new SharedArrayBuffer(4)), 0);

const taskNumber = (n: number) => waitFor(`task ${n} dispatched`, () => runner.tasks[n]);

const queue = suite("server queue: bounded, ordered, cancellable");
queue.before.each(() => setUp({ maxQueued: 2 }));
queue.after.each(tearDown);

queue(
  "one run per thread; the rest wait in order; past maxQueued a POST gets 429 with Retry-After",
  async () => {
    const a = await post();
    const b = await post();
    const c = await post();
    assert.is(a.status, 202);
    assert.is(b.status, 202);
    assert.is(c.status, 202);
    const full = await post();
    assert.is(full.status, 429);
    assert.is((full.body as unknown as { code: string }).code, "HINTMIG_QUEUE_FULL");
    assert.match(String(full.headers["retry-after"]), /^[1-9]\d*$/);

    const first = await taskNumber(0);
    assert.is(runner.tasks.length, 1);
    assert.is(first.task.runId, a.body.id);
    assert.is((await get(b.body.id))["queue-position"], 1);
    assert.is((await get(c.body.id))["queue-position"], 2);

    first.post({ type: "started" });
    assert.is((await get(a.body.id)).state, "running");
    first.finish();
    const second = await taskNumber(1);
    assert.is(second.task.runId, b.body.id);
    assert.is((await get(a.body.id)).state, "completed");
    // A place freed: POST works again.
    assert.is((await post()).status, 202);
  },
);

queue("progress shows in GET and as pass/progress events", async () => {
  const a = await post();
  const task = await taskNumber(0);
  task.post({ type: "started" });
  const progress = {
    variant: "base",
    status: "active" as const,
    simTimeMs: 12,
    pass: 1,
    remainingPages: 10,
    totalPages: 100,
    transferredBytes: 5,
  };
  task.post({ type: "progress", progress, passChanged: true });
  task.post({
    type: "progress",
    progress: { ...progress, simTimeMs: 20, remainingPages: 4 },
    passChanged: false,
  });
  assert.equal((await get(a.body.id)).progress, {
    variant: "base",
    status: "active",
    pass: 1,
    "sim-time-ms": 20,
    "remaining-pages": 4,
    "total-pages": 100,
    "transferred-bytes": 5,
  });
  task.post({ type: "postcopy", progress });
  task.finish({ outcomes: [{ name: "base", status: "completed" }] });
  await waitFor("completed", async () => ((await get(a.body.id)).state === "completed" ? true : undefined));
  const events = parseSse((await app.inject(`/runs/${a.body.id}/events`)).body).map((e) => e.event);
  // The latest throttled progress is dropped once a milestone follows it; pass and postcopy are kept.
  assert.equal(events, ["queued", "started", "variant", "pass", "postcopy", "completed"]);
});

queue("DELETE a queued run: 200, cancelled at once, never dispatched", async () => {
  await post();
  const b = await post();
  const response = await app.inject({ method: "DELETE", url: `/runs/${b.body.id}` });
  assert.is(response.statusCode, 200);
  assert.is(response.json<RunBody>().state, "cancelled");
  (await taskNumber(0)).finish();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(runner.tasks.length, 1);
  const events = parseSse((await app.inject(`/runs/${b.body.id}/events`)).body).map((e) => e.event);
  assert.equal(events, ["queued", "cancelled"]);
});

queue("DELETE a running run: 202, the stop flag is set, and it ends cancelled (migrate_cancel)", async () => {
  const a = await post();
  const task = await taskNumber(0);
  task.post({ type: "started" });
  const response = await app.inject({ method: "DELETE", url: `/runs/${a.body.id}` });
  assert.is(response.statusCode, 202);
  assert.is(flag(task), STOP.cancel);
  task.finish({
    stopped: true,
    outcomes: [{ name: "base", status: "cancelled", "error-desc": "stopped by the caller" }],
  });
  const run = await waitFor("cancelled", async () => {
    const body = await get(a.body.id);
    return body.state === "cancelled" ? body : undefined;
  });
  assert.match(run.error ?? "", /cancelled/);
});

queue("a run that ignores the stop flag is terminated after the grace period", async () => {
  const a = await post();
  const task = await taskNumber(0);
  task.post({ type: "started" });
  await app.inject({ method: "DELETE", url: `/runs/${a.body.id}` });
  // The manual task never finishes by itself: only the abort (grace 500 ms in tests) ends it.
  const run = await waitFor(
    "forced end",
    async () => {
      const body = await get(a.body.id);
      return body.state === "cancelled" ? body : undefined;
    },
    5_000,
  );
  assert.ok(task.signal.aborted);
  assert.match(run.error ?? "", /terminated/);
});

queue.run();

const limits = suite("server queue: wall time and shutdown");
limits.before.each(() => setUp({ wallTimeMs: 50 }));
limits.after.each(async () => {
  removeDir(dir);
});

limits("a run past its wall time is stopped and marked failed with the reason", async () => {
  const a = await post();
  const task = await taskNumber(0);
  task.post({ type: "started" });
  await waitFor("deadline flag", () => (flag(task) === STOP.deadline ? true : undefined), 2_000);
  task.finish({ stopped: true });
  const run = await waitFor("failed", async () => {
    const body = await get(a.body.id);
    return body.state === "failed" ? body : undefined;
  });
  assert.is(run.error, "exceeded the wall-time limit of 50ms");
  await app.close();
});

limits("closing the app stops running runs and fails queued ones; status.json says so", async () => {
  const a = await post();
  const b = await post();
  const task = await taskNumber(0);
  task.post({ type: "started" });
  const closing = app.close();
  await waitFor("shutdown flag", () => (flag(task) === STOP.shutdown ? true : undefined), 2_000);
  task.finish({ stopped: true });
  await closing;
  assert.ok(runner.destroyed);
  const status = (id: string) => JSON.parse(fs.readFileSync(path.join(dir, id, "status.json"), "utf8"));
  assert.is(status(a.body.id).state, "failed");
  assert.is(status(a.body.id).error, "interrupted by shutdown");
  assert.is(status(b.body.id).state, "failed");
  assert.is(status(b.body.id).error, "interrupted by shutdown before it started");
});

limits.run();
