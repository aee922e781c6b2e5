// Shared by the server tests: configurations over temporary directories, small scenarios, a runner the
// test drives by hand, bounded waits, and a server-sent-events reader over a real socket.

import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/server/app.ts";
import { DEFAULTS, type ServerConfig } from "../../src/server/config.ts";
import type { TaskRunner } from "../../src/server/task-runner.ts";
import type { WorkerMessage, WorkerOutcome, WorkerTask } from "../../src/server/worker-protocol.ts";
import { ROOT } from "../helpers/cli.ts";

export const SCENARIOS_DIR = path.join(ROOT, "scenarios");

/** A guest small enough that a run takes milliseconds. */
export const TINY_YAML = `name: tiny
guest: { memory: 64MiB }
workload:
  - boot: { data: 16MiB }
  - dirty: { rate: 10MiB/s, working-set: 8MiB }
migration:
  parameters: { max-bandwidth: 1Gbit/s }
`;

/** Never converges (a 1 ms downtime limit under heavy dirtying) and runs ~30 simulated minutes: seconds. */
export const SLOW_YAML = `name: slow
guest: { memory: 16GiB }
workload:
  - boot: { data: 8GiB }
  - dirty: { rate: 200MiB/s, working-set: 4GiB }
migration:
  parameters: { max-bandwidth: 1Gbit/s, downtime-limit: 1ms }
  max-passes: 100000
simulation: { max-migration-time: 30min }
`;

export function testConfig(reportsDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    ...DEFAULTS,
    port: 0,
    reportsDir,
    scenariosDir: SCENARIOS_DIR,
    threads: 1,
    ...overrides,
    limits: { ...DEFAULTS.limits, ...overrides.limits },
  };
}

export function buildTestApp(config: ServerConfig, runner?: TaskRunner): Promise<FastifyInstance> {
  return buildApp({ config, ...(runner === undefined ? {} : { runner }), queue: { stopGraceMs: 500 } });
}

/** Polls `check` every `everyMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A task the test finishes by hand, with what the queue passed in. */
export interface ManualTask {
  task: Omit<WorkerTask, "progress">;
  post(message: WorkerMessage): void;
  finish(outcome?: Partial<WorkerOutcome>): void;
  fail(error: Error): void;
  signal: AbortSignal;
}

/** A runner whose tasks end only when the test says so; `tasks` lists them in dispatch order. */
export function manualRunner(threads = 1): TaskRunner & { tasks: ManualTask[]; destroyed: boolean } {
  const tasks: ManualTask[] = [];
  const runner = {
    threads,
    tasks,
    destroyed: false,
    run(
      task: Omit<WorkerTask, "progress">,
      onMessage: (message: WorkerMessage) => void,
      signal: AbortSignal,
    ) {
      return new Promise<WorkerOutcome>((resolve, reject) => {
        const entry: ManualTask = {
          task,
          post: onMessage,
          finish: (outcome = {}) =>
            resolve({
              outcomes: [],
              stopped: false,
              postcopySwitches: [],
              report: false,
              reportError: null,
              ...outcome,
            }),
          fail: reject,
          signal,
        };
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        tasks.push(entry);
      });
    },
    async destroy() {
      runner.destroyed = true;
      for (const task of tasks) task.fail(new Error("destroyed"));
    },
  };
  return runner;
}

/** A TCP port nothing listens on right now (loopback only). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Parses a text/event-stream body into events (comments and heartbeats skipped). */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split("\n\n")) {
    let id = "";
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ id, event, data: JSON.parse(data.join("\n")) });
  }
  return events;
}

/**
 * Reads a run's event stream over a real socket until the server ends it; rejects after `timeoutMs`.
 * `onEvent` sees each event as it arrives (to act mid-stream, e.g. cancel once a pass is reported).
 */
export function readEvents(
  url: string,
  timeoutMs: number,
  onEvent: (event: SseEvent) => void = () => {},
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; events: SseEvent[] }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (response) => {
      let buffer = "";
      const events: SseEvent[] = [];
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const parsed = parseSse(buffer.slice(0, end + 2));
          buffer = buffer.slice(end + 2);
          for (const event of parsed) {
            events.push(event);
            onEvent(event);
          }
          end = buffer.indexOf("\n\n");
        }
      });
      response.on("end", () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers["content-type"]),
          events,
        });
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no end of the event stream ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
