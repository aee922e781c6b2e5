// The HTTP API under load, on loopback: a server process of its own (its real worker pool, a temporary
// reports directory), 500 small runs submitted over 20 connections, each then checked to have completed
// with its result; then GET /runs/:id hammered over the same 20 connections. Bounded in count and time.
// Prints what it measured and ends with one JSON line for bench.ts.

import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = 500;
const CONNECTIONS = 20;
const GETS = 20_000;
/** Every wait below gives up after this long: a stuck server fails the bench instead of hanging it. */
const DEADLINE_MS = 180_000;

const SMALL_RUN = JSON.stringify({
  scenario: {
    name: "load-small",
    guest: { memory: "64MiB" },
    workload: [{ boot: { data: "16MiB" } }, { dirty: { rate: "10MiB/s", "working-set": "8MiB" } }],
    migration: { parameters: { "max-bandwidth": "1Gbit/s" } },
  },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`load: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

interface Health {
  queued: number;
  running: number;
  runs: number;
}

async function main(): Promise<void> {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), "hintmig-load-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      HINTMIG_PORT: String(port),
      HINTMIG_REPORTS_DIR: reports,
      HINTMIG_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const health = async () => (await (await fetch(`${base}/healthz`)).json()) as Health;
    const { threads } = (await until("the server", async () => health())) as Health & { threads: number };

    const ids: string[] = [];
    const started = performance.now();
    const submit = await autocannon({
      url: `${base}/runs`,
      connections: CONNECTIONS,
      amount: RUNS,
      timeout: 30,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: SMALL_RUN,
      requests: [
        {
          onResponse: (status, body) => {
            if (status === 202) ids.push((JSON.parse(body) as { id: string }).id);
          },
        },
      ],
    });
    const submitted = performance.now();
    await until(
      "every run to end",
      async () => {
        const h = await health();
        return h.queued === 0 && h.running === 0 ? h : undefined;
      },
      50,
    );
    const ended = performance.now();

    let completed = 0;
    const problems: string[] = [];
    for (const id of ids) {
      const response = await fetch(`${base}/runs/${id}`);
      const run = (await response.json()) as { state: string; result?: { variants?: unknown[] } };
      if (run.state === "completed" && Array.isArray(run.result?.variants)) completed++;
      else if (problems.length < 5) problems.push(`${id}: ${run.state}`);
    }
    const onDisk = fs
      .readdirSync(reports)
      .filter((name) => fs.existsSync(path.join(reports, name, "result.json")));

    let next = 0;
    const reads = await autocannon({
      url: base,
      connections: CONNECTIONS,
      amount: GETS,
      timeout: 30,
      requests: [
        {
          setupRequest: (request) => {
            request.path = `/runs/${ids[next++ % ids.length]}`;
            return request;
          },
        },
      ],
    });

    const lost = RUNS - completed;
    const runsPerSec = completed / ((ended - started) / 1000);
    console.log(
      `load: ${RUNS} runs POSTed over ${CONNECTIONS} connections to ${threads} worker thread(s): ` +
        `${ids.length} accepted (${submit.non2xx} refused, ${submit.errors} errors) in ` +
        `${((submitted - started) / 1000).toFixed(1)} s, POST p99 ${submit.latency.p99} ms`,
    );
    console.log(
      `load: all ended ${((ended - started) / 1000).toFixed(1)} s after the first POST: ${completed} completed ` +
        `with a result (${onDisk.length} result.json on disk), ${lost} lost; ${runsPerSec.toFixed(0)} runs/s`,
    );
    for (const problem of problems) console.log(`load:   not completed: ${problem}`);
    console.log(
      `load: GET /runs/:id x ${reads.requests.total} over ${CONNECTIONS} connections: ` +
        `p50 ${reads.latency.p50} ms, p99 ${reads.latency.p99} ms, max ${reads.latency.max} ms, ` +
        `${reads.requests.average.toFixed(0)} req/s, ${reads.non2xx} non-2xx`,
    );
    console.log(
      JSON.stringify({
        case: "http-load",
        runs: RUNS,
        accepted: ids.length,
        completed,
        lost,
        runsPerSec,
        getP99Ms: reads.latency.p99,
        getNon2xx: reads.non2xx,
      }),
    );
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => {
      if (server.exitCode !== null) resolve(null);
      else server.once("exit", resolve);
    });
    fs.rmSync(reports, { recursive: true, force: true });
  }
}

await main();
