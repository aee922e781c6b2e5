// The server on a real loopback socket with its real worker-thread pool: a run followed live over
// server-sent events to its end, a running simulation cancelled mid-stream (the core stops between two
// steps), and a close that stops a running run and terminates the threads.

import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { buildTestApp, readEvents, SLOW_YAML, TINY_YAML, testConfig, waitFor } from "./helpers.ts";

let dir = "";
let app: FastifyInstance;
let base = "";

async function post(yaml: string): Promise<{ id: string; links: { events: string; self: string } }> {
  const response = await fetch(`${base}/runs`, {
    method: "POST",
    headers: { "content-type": "application/yaml" },
    body: yaml,
  });
  assert.is(response.status, 202);
  assert.match(response.headers.get("location") ?? "", /^\/runs\//);
  return response.json() as Promise<{ id: string; links: { events: string; self: string } }>;
}

const socket = suite("server socket: SSE over a real connection, worker threads");

socket.before(async () => {
  dir = makeTempDir("hintmig-socket-");
  // The real pool (one thread), not an in-process runner.
  app = await buildTestApp(testConfig(dir, { threads: 1 }));
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
  base = address;
});
socket.after(async () => {
  await app.close();
  removeDir(dir);
});

socket("a run followed over SSE: queued, started, passes, completed; then its result is there", async () => {
  const run = await post(TINY_YAML);
  const { status, contentType, events } = await readEvents(`${base}${run.links.events}`, 30_000);
  assert.is(status, 200);
  assert.match(contentType, /^text\/event-stream/);
  const names = events.map((event) => event.event);
  assert.is(names[0], "queued");
  assert.is(names[1], "started");
  assert.ok(names.includes("pass"), names.join(" "));
  assert.is(names.at(-1), "completed");
  const body = (await (await fetch(`${base}${run.links.self}`)).json()) as {
    state: string;
    result: { scenario: string };
  };
  assert.is(body.state, "completed");
  assert.is(body.result.scenario, "tiny");
});

socket("DELETE while the core runs: the stream goes on to `cancelled`, the result says so", async () => {
  const run = await post(SLOW_YAML);
  const cancel: { response: Promise<Response> | null } = { response: null };
  const { events } = await readEvents(`${base}${run.links.events}`, 30_000, (event) => {
    // Cancel once the core has reported two passes: it is certainly inside the simulation loop.
    if (event.event === "pass" && event.data.pass === 2 && cancel.response === null) {
      cancel.response = fetch(`${base}${run.links.self}`, { method: "DELETE" });
    }
  });
  assert.ok(cancel.response, "the run reached its second pass");
  assert.is((await cancel.response)?.status, 202);
  const end = events.at(-1);
  assert.is(end?.event, "cancelled");
  assert.equal(end?.data.outcomes, [
    { name: "base", status: "cancelled", "error-desc": "stopped by the caller" },
  ]);
  const body = (await (await fetch(`${base}${run.links.self}`)).json()) as {
    state: string;
    result: { variants: { status: string }[] };
  };
  assert.is(body.state, "cancelled");
  assert.is(body.result.variants[0]?.status, "cancelled");
});

socket("closing the server stops a running run and the threads; status.json says so", async () => {
  const run = await post(SLOW_YAML);
  await waitFor("the run to start", async () => {
    const body = (await (await fetch(`${base}${run.links.self}`)).json()) as { state: string };
    return body.state === "running" ? true : undefined;
  });
  await app.close();
  const status = JSON.parse(readFileSync(`${dir}/${run.id}/status.json`, "utf8"));
  assert.is(status.state, "failed");
  assert.is(status.error, "interrupted by shutdown");
});

socket.run();
