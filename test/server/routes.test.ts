// The routes through app.inject(), with runs executed in-process (the worker's task function on the event
// loop): start, read, list, follow, report, scenarios, health, the OpenAPI document and the home page.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FastifyInstance } from "fastify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runScenario } from "../../src/index.ts";
import { parseScenario } from "../../src/scenario/parse.ts";
import { HOME_CSP } from "../../src/server/home.ts";
import { inProcessRunner } from "../../src/server/task-runner.ts";
import { resultJson } from "../../src/store/result-json.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { buildTestApp, parseSse, TINY_YAML, testConfig, waitFor } from "./helpers.ts";

interface RunBody {
  id: string;
  state: string;
  seed: number;
  scenario: string;
  variants: string[];
  outcomes: { name: string; status: string }[];
  links: { self: string; events: string; report: string };
  result?: { scenario: string; seed: number; variants: unknown[] };
}

let dir = "";
let app: FastifyInstance;

async function start(yaml = TINY_YAML, query = ""): Promise<RunBody> {
  const response = await app.inject({
    method: "POST",
    url: `/runs${query}`,
    headers: { "content-type": "application/yaml" },
    payload: yaml,
  });
  assert.is(response.statusCode, 202, response.body);
  return response.json<RunBody>();
}

async function ended(id: string): Promise<RunBody> {
  return waitFor(`run ${id} to end`, async () => {
    const run = (await app.inject(`/runs/${id}`)).json<RunBody>();
    return ["completed", "failed", "cancelled"].includes(run.state) ? run : undefined;
  });
}

const routes = suite("server routes: runs");

routes.before(async () => {
  dir = makeTempDir("hintmig-server-");
  app = await buildTestApp(testConfig(dir), inProcessRunner());
});
routes.after(async () => {
  await app.close();
  removeDir(dir);
});

routes("POST a YAML scenario: 202, Location, queued; it completes with the CLI's exact result", async () => {
  const response = await app.inject({
    method: "POST",
    url: "/runs?seed=5",
    headers: { "content-type": "application/yaml" },
    payload: TINY_YAML,
  });
  assert.is(response.statusCode, 202);
  const run = response.json<RunBody>();
  assert.is(response.headers.location, `/runs/${run.id}`);
  assert.match(run.id, /^tiny-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.is(run.state, "queued");
  assert.is(run.seed, 5);
  assert.equal(run.variants, ["base"]);

  const done = await ended(run.id);
  assert.is(done.state, "completed");
  assert.equal(done.outcomes, [{ name: "base", status: "completed" }]);
  const expected = runScenario(parseScenario(TINY_YAML, "x", { seed: 5 }).configs);
  assert.equal(done.result, JSON.parse(resultJson(expected)));
  const folder = path.join(dir, run.id);
  assert.is(fs.readFileSync(path.join(folder, "result.json"), "utf8"), resultJson(expected));
  assert.is(fs.readFileSync(path.join(folder, "scenario.yaml"), "utf8"), TINY_YAML);
  // status.json follows the state in memory by one atomic write.
  await waitFor("status.json to say completed", () => {
    const status = JSON.parse(fs.readFileSync(path.join(folder, "status.json"), "utf8"));
    return status.state === "completed" ? true : undefined;
  });
  assert.ok(fs.existsSync(path.join(folder, "meta.json")));
});

routes("POST a bundled scenario by name, and a JSON scenario document", async () => {
  const byName = await app.inject({ method: "POST", url: "/runs", payload: { name: "default", seed: 3 } });
  assert.is(byName.statusCode, 202, byName.body);
  const run = byName.json<RunBody>();
  assert.is(run.scenario, "default");
  assert.is(run.seed, 3);
  assert.equal(run.variants, ["original", "free-page-hint", "free-page-reporting"]);
  const text = fs.readFileSync(path.join(dir, run.id, "scenario.yaml"), "utf8");
  assert.is(text, fs.readFileSync("scenarios/default.yaml", "utf8"));

  const doc = parseScenario(TINY_YAML, "x").file;
  const byDoc = await app.inject({ method: "POST", url: "/runs", payload: { scenario: doc } });
  assert.is(byDoc.statusCode, 202, byDoc.body);
  const json = await ended(byDoc.json<RunBody>().id);
  assert.is(json.state, "completed");
  assert.is((await ended(run.id)).state, "completed");
});

routes("GET /runs lists newest first, in pages linked by `next`", async () => {
  const first = await start();
  const second = await start();
  await ended(second.id);
  const page = (await app.inject("/runs?limit=1")).json<{ runs: RunBody[]; next: string }>();
  assert.is(page.runs.length, 1);
  assert.is(page.runs[0]?.id, second.id);
  assert.is(page.next, `/runs?limit=1&before=${second.id}`);
  const older = (await app.inject(page.next)).json<{ runs: RunBody[]; next: string | null }>();
  assert.is(older.runs[0]?.id, first.id);
  const all = (await app.inject("/runs?limit=100")).json<{ runs: RunBody[]; next: string | null }>();
  assert.is(all.next, null);
  const times = all.runs.map((run) => run.id);
  assert.equal(times.slice(0, 2), [second.id, first.id]);
});

routes("GET /runs/:id/events of an ended run replays its story and ends", async () => {
  const run = await start();
  await ended(run.id);
  const response = await app.inject({
    url: `/runs/${run.id}/events`,
    headers: { accept: "text/event-stream" },
  });
  assert.is(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^text\/event-stream/);
  const events = parseSse(response.body);
  const names = events.map((event) => event.event);
  assert.is(names[0], "queued");
  assert.is(names[1], "started");
  assert.is(names[2], "variant");
  assert.ok(names.includes("pass"));
  assert.is(names.at(-1), "completed");
  const ids = events.map((event) => Number(event.id));
  assert.equal(
    ids,
    [...ids].sort((a, b) => a - b),
  );
  assert.is(events.at(-1)?.data.state, "completed");

  // Last-Event-ID resumes after what the client saw.
  const resumed = await app.inject({
    url: `/runs/${run.id}/events`,
    headers: { accept: "text/event-stream", "last-event-id": String(ids.at(-2)) },
  });
  assert.equal(
    parseSse(resumed.body).map((event) => event.event),
    ["completed"],
  );
});

routes("a postcopy switch is an event of its own, with the simulated time of the switch", async () => {
  const response = await app.inject({ method: "POST", url: "/runs", payload: { name: "postcopy-policies" } });
  assert.is(response.statusCode, 202, response.body);
  const run = await ended(response.json<RunBody>().id);
  const events = parseSse((await app.inject(`/runs/${run.id}/events`)).body);
  const switches = events.filter((event) => event.event === "postcopy");
  const postcopyVariants = (run.result?.variants ?? []).filter(
    (variant): variant is { name: string; postcopy: { "switch-ms": number } } =>
      typeof variant === "object" && variant !== null && "postcopy" in variant,
  );
  assert.ok(postcopyVariants.length > 0, "the scenario switches to postcopy");
  // Announced as it happens (query-migrate's status turns postcopy-active), at the switch's own time.
  assert.equal(
    switches.map((event) => [event.data.variant, Math.round(Number(event.data["sim-time-ms"]))]),
    postcopyVariants.map((variant) => [variant.name, variant.postcopy["switch-ms"]]),
  );
  assert.is(events.at(-1)?.event, "completed");
});

routes("a run of several guests lists its variant once; pass events say which guest", async () => {
  const yaml = `${TINY_YAML}guests:
  - name: a
  - name: b
    set: { guest: { memory: 128MiB } }
`;
  const run = await ended((await start(yaml)).id);
  assert.is(run.state, "completed");
  assert.equal(run.variants, ["base"]);
  const events = parseSse((await app.inject(`/runs/${run.id}/events`)).body);
  const passGuests = new Set(events.filter((e) => e.event === "pass").map((e) => e.data.guest));
  assert.equal([...passGuests].sort(), ["a", "b"]);
  assert.ok(events.filter((e) => e.event === "pass").every((e) => typeof e.data.status === "string"));
});

routes("GET /runs/:id/report serves the HTML with the CSP its meta declares", async () => {
  const run = await start();
  await ended(run.id);
  const response = await app.inject(`/runs/${run.id}/report`);
  assert.is(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^text\/html/);
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(response.body);
  assert.ok(meta, "the report has a CSP meta");
  const declared = (meta?.[1] ?? "")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  assert.is(response.headers["content-security-policy"], declared);
  assert.match(declared, /script-src 'sha256-/);
});

routes("DELETE on an ended run is 409; unknown ids 404; unknown routes 404", async () => {
  const run = await start();
  await ended(run.id);
  const again = await app.inject({ method: "DELETE", url: `/runs/${run.id}` });
  assert.is(again.statusCode, 409);
  assert.is(again.json().code, "HINTMIG_RUN_FINISHED");
  for (const url of ["/runs/tiny-20200101-000000-abcd", "/runs/tiny-20200101-000000-abcd/events"]) {
    const missing = await app.inject({ url, headers: { accept: "text/event-stream" } });
    assert.is(missing.statusCode, 404, url);
    assert.is(missing.json().code, "HINTMIG_RUN_NOT_FOUND");
  }
  const route = await app.inject("/nope");
  assert.is(route.statusCode, 404);
  assert.is(route.json().code, "HINTMIG_NOT_FOUND");
});

routes.run();

const site = suite("server routes: scenarios, health, OpenAPI, home page");

site.before(async () => {
  dir = makeTempDir("hintmig-server-");
  app = await buildTestApp(testConfig(dir), inProcessRunner());
});
site.after(async () => {
  await app.close();
  removeDir(dir);
});

site("GET /scenarios lists the bundled scenarios that parse, with their variants", async () => {
  const { scenarios } = (await app.inject("/scenarios")).json<{
    scenarios: { name: string; file: string; variants: string[] }[];
  }>();
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  assert.equal(byName.get("default")?.variants, ["original", "free-page-hint", "free-page-reporting"]);
  assert.is(byName.get("default")?.file, "default.yaml");
  assert.ok(byName.has("pv-hinting-2016-booted"));
});

site("GET /healthz reports the queue", async () => {
  const health = (await app.inject("/healthz")).json();
  assert.equal(health, { status: "ok", queued: 0, running: 0, threads: 1, runs: 0 });
});

site("the OpenAPI document has every route, and POST /runs shows the CLI's scenario schema", async () => {
  const doc = (await app.inject("/openapi.json")).json();
  for (const route of [
    "/runs",
    "/runs/{id}",
    "/runs/{id}/events",
    "/runs/{id}/report",
    "/scenarios",
    "/healthz",
  ]) {
    assert.ok(doc.paths[route], route);
  }
  const content = doc.paths["/runs"].post.requestBody.content;
  const scenario = content["application/json"].schema.properties.scenario;
  assert.ok(scenario.properties.guest.properties.memory, "the scenario schema is spelled out");
  assert.is(scenario.additionalProperties, false);
  assert.ok(content["application/yaml"]);
  assert.ok(doc.paths["/runs/{id}"].delete);
  const docs = await app.inject("/docs");
  assert.is(docs.statusCode, 200);
});

site(
  "the home page: its inline script and style are exactly what its CSP allows, and it holds no data",
  async () => {
    const response = await app.inject("/");
    assert.is(response.statusCode, 200);
    const csp = String(response.headers["content-security-policy"]);
    assert.is(csp, HOME_CSP);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'self'/);
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(response.body)?.[1] ?? "";
    const style = /<style>([\s\S]*?)<\/style>/.exec(response.body)?.[1] ?? "";
    assert.ok(csp.includes(`script-src ${hash(script)}`));
    assert.ok(csp.includes(`style-src ${hash(style)}`));
    assert.is((response.body.match(/<script/g) ?? []).length, 1);
    assert.not.match(response.body, /\son[a-z]+=/i, "no inline event handlers");
    assert.not.match(script, /innerHTML|insertAdjacentHTML|document\.write/);
  },
);

site.run();
