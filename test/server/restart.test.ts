// The server as a process, killed without warning mid-run and started again on the same reports
// directory: every completed result is there byte for byte, and the runs that were running or queued are
// marked failed ("interrupted by restart"), not lost and not silently re-run.

import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../helpers/cli.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { freePort, SLOW_YAML, TINY_YAML, waitFor } from "./helpers.ts";

interface RunBody {
  id: string;
  state: string;
  error: string | null;
  result?: unknown;
}

let dir = "";
let child: ChildProcess | null = null;
let base = "";

async function startServer(port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      HINTMIG_HOST: "127.0.0.1",
      HINTMIG_PORT: String(port),
      HINTMIG_REPORTS_DIR: dir,
      HINTMIG_THREADS: "1",
      HINTMIG_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  server.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  base = `http://127.0.0.1:${port}`;
  await waitFor(
    `the server on ${base} (stderr: ${stderr})`,
    async () => {
      if (server.exitCode !== null) throw new Error(`the server exited ${server.exitCode}: ${stderr}`);
      try {
        return (await fetch(`${base}/healthz`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    30_000,
    100,
  );
  return server;
}

function exited(server: ChildProcess): Promise<number | null> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve(server.exitCode);
  return new Promise((resolve) => server.once("exit", (code) => resolve(code)));
}

async function post(yaml: string, seed: number): Promise<string> {
  const response = await fetch(`${base}/runs?seed=${seed}`, {
    method: "POST",
    headers: { "content-type": "application/yaml" },
    body: yaml,
  });
  assert.is(response.status, 202);
  return ((await response.json()) as RunBody).id;
}

const get = async (id: string) => (await (await fetch(`${base}/runs/${id}`)).json()) as RunBody;

const until = (id: string, states: string[]) =>
  waitFor(
    `run ${id} in ${states.join("/")}`,
    async () => {
      const run = await get(id);
      return states.includes(run.state) ? run : undefined;
    },
    20_000,
  );

const restart = suite("server restart: kill -9 mid-run, start again");

restart.before(() => {
  dir = makeTempDir("hintmig-restart-");
});
restart.after(async () => {
  if (child !== null && child.exitCode === null) {
    child.kill("SIGKILL");
    await exited(child);
  }
  removeDir(dir);
});

restart("completed results survive intact; running and queued runs are marked interrupted", async () => {
  const port = await freePort();
  child = await startServer(port);

  const completed: string[] = [];
  for (const seed of [1, 2, 3]) completed.push(await post(TINY_YAML, seed));
  const results = new Map<string, { body: unknown; bytes: string }>();
  for (const id of completed) {
    const run = await until(id, ["completed"]);
    results.set(id, { body: run.result, bytes: fs.readFileSync(path.join(dir, id, "result.json"), "utf8") });
  }

  // One thread: the slow run holds it, the tiny one waits behind it.
  const running = await post(SLOW_YAML, 1);
  const queued = await post(TINY_YAML, 4);
  await until(running, ["running"]);
  assert.is((await get(queued)).state, "queued");

  child.kill("SIGKILL");
  await exited(child);

  child = await startServer(port);
  for (const id of completed) {
    const run = await get(id);
    assert.is(run.state, "completed", id);
    assert.equal(run.result, results.get(id)?.body);
    assert.is(fs.readFileSync(path.join(dir, id, "result.json"), "utf8"), results.get(id)?.bytes);
    assert.is(JSON.parse(fs.readFileSync(path.join(dir, id, "status.json"), "utf8")).state, "completed");
  }
  for (const id of [running, queued]) {
    const run = await get(id);
    assert.is(run.state, "failed", id);
    assert.is(run.error, "interrupted by restart");
    assert.is(run.result, undefined);
    const status = JSON.parse(fs.readFileSync(path.join(dir, id, "status.json"), "utf8"));
    assert.is(status.error, "interrupted by restart");
  }
  for (const id of [...completed, running, queued]) {
    assert.equal(
      fs.readdirSync(path.join(dir, id)).filter((name) => name.endsWith(".tmp")),
      [],
      `no temporary file left in ${id}`,
    );
  }
  const listed = (await (await fetch(`${base}/runs?limit=100`)).json()) as { runs: RunBody[] };
  assert.equal(listed.runs.map((run) => run.id).sort(), [...completed, running, queued].sort());

  // The restarted server runs new work, and stops cleanly on SIGTERM.
  const after = await post(TINY_YAML, 5);
  await until(after, ["completed"]);
  child.kill("SIGTERM");
  assert.is(await exited(child), 0);
});

restart.run();
