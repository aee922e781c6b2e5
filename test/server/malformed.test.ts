// Inputs a client gets wrong, or an attacker tries: each is refused with the registry's code, names the
// field when there is one, and leaves nothing behind in the reports directory.

import * as fs from "node:fs";
import type { FastifyInstance } from "fastify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { buildTestApp, manualRunner, TINY_YAML, testConfig } from "./helpers.ts";

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  problems?: { path: string; message: string; line?: number }[];
}

let dir = "";
let app: FastifyInstance;

const bad = suite("server input: malformed requests");

bad.before(async () => {
  dir = makeTempDir("hintmig-malformed-");
  const config = testConfig(dir);
  app = await buildTestApp(
    { ...config, limits: { ...config.limits, bodyLimitBytes: 64 * 1024 } },
    manualRunner(),
  );
});
bad.after(async () => {
  await app.close();
  removeDir(dir);
});
bad.after.each(() => {
  assert.equal(fs.readdirSync(dir), [], "a refused request leaves no run folder");
});

async function postYaml(payload: string, query = ""): Promise<{ status: number; body: ErrorBody }> {
  const response = await app.inject({
    method: "POST",
    url: `/runs${query}`,
    headers: { "content-type": "application/yaml" },
    payload,
  });
  return { status: response.statusCode, body: response.json<ErrorBody>() };
}

async function postJson(payload: string): Promise<{ status: number; body: ErrorBody }> {
  const response = await app.inject({
    method: "POST",
    url: "/runs",
    headers: { "content-type": "application/json" },
    payload,
  });
  return { status: response.statusCode, body: response.json<ErrorBody>() };
}

bad("YAML that does not parse: 400 with the line", async () => {
  const { status, body } = await postYaml("name: x\nguest: [\n  memory: 1GiB\n");
  assert.is(status, 400);
  assert.is(body.code, "HINTMIG_INVALID_SCENARIO");
  assert.match(body.problems?.[0]?.message ?? "", /YAML syntax/);
  assert.type(body.problems?.[0]?.line, "number");
});

bad("wrong types in a scenario name the field, in YAML and in JSON alike", async () => {
  const yaml = await postYaml("name: x\nguest: { memory: 5 }\nworkload: []\n");
  const json = await postJson(
    JSON.stringify({ scenario: { name: "x", guest: { memory: 5 }, workload: [] } }),
  );
  for (const { status, body } of [yaml, json]) {
    assert.is(status, 400);
    assert.is(body.code, "HINTMIG_INVALID_SCENARIO");
    const problem = body.problems?.find((p) => p.path === "guest.memory");
    assert.ok(problem, JSON.stringify(body));
    assert.match(problem?.message ?? "", /got 5; expected a size/);
  }
  const vcpus = await postYaml("name: x\nguest: { memory: 1GiB, vcpus: many }\nworkload: []\n");
  assert.ok(vcpus.body.problems?.some((p) => p.path === "guest.vcpus"));
});

bad("unknown fields are errors, not silently dropped: in the envelope and in the scenario", async () => {
  const envelope = await postJson(JSON.stringify({ name: "default", colour: "red" }));
  assert.is(envelope.status, 400);
  assert.is(envelope.body.code, "HINTMIG_INVALID_REQUEST");
  assert.equal(envelope.body.problems, [{ path: "colour", message: "unknown field" }]);
  const scenario = await postYaml(`${TINY_YAML}colour: red\n`);
  assert.is(scenario.status, 400);
  assert.ok(scenario.body.problems?.some((p) => p.path === "colour"));
});

bad("huge numbers: a seed beyond 2^53, a size beyond 8192TiB, a guest over the limit", async () => {
  const seed = await postJson('{"name":"default","seed":1e300}');
  assert.is(seed.status, 400);
  assert.equal(seed.body.problems?.[0]?.path, "seed");
  const querySeed = await postYaml(TINY_YAML, "?seed=99999999999999999999");
  assert.is(querySeed.status, 400);
  assert.match(querySeed.body.problems?.[0]?.path ?? "", /seed/);
  const size = await postYaml("name: x\nguest: { memory: 99999999999999999999TiB }\nworkload: []\n");
  assert.is(size.status, 400);
  assert.match(size.body.message, /guest\.memory/);
  const limit = await postYaml("name: x\nguest: { memory: 1TiB }\nworkload:\n  - boot: { data: 1GiB }\n");
  assert.is(limit.status, 400);
  assert.is(limit.body.code, "HINTMIG_OVER_LIMIT");
  assert.equal(limit.body.problems?.[0]?.path, "guest.memory");
  const long = await postYaml(`${TINY_YAML}simulation: { max-migration-time: 1000h }\n`);
  assert.is(long.status, 400);
  assert.equal(long.body.problems?.[0]?.path, "simulation.max-migration-time");
});

bad("a seed is an integer in JSON, never a string that looks like one", async () => {
  for (const seed of ['"42"', "1.5", "-1", "null"]) {
    const { status, body } = await postJson(`{"name":"default","seed":${seed}}`);
    assert.is(status, 400, seed);
    assert.equal(body.problems?.[0]?.path, "seed", seed);
  }
});

bad("the envelope: neither or both of name and scenario, an unknown name, two different seeds", async () => {
  const neither = await postJson("{}");
  assert.is(neither.status, 400);
  assert.equal(
    neither.body.problems?.map((p) => p.path),
    ["name", "scenario"],
  );
  const both = await postJson(JSON.stringify({ name: "default", scenario: { name: "x" } }));
  assert.is(both.status, 400);
  const unknown = await postJson('{"name":"no-such-scenario"}');
  assert.is(unknown.status, 400);
  assert.is(unknown.body.code, "HINTMIG_UNKNOWN_SCENARIO");
  const scenarioNotObject = await postJson('{"scenario":"name: x"}');
  assert.is(scenarioNotObject.status, 400);
  assert.equal(scenarioNotObject.body.problems?.[0]?.path, "scenario");
  const seeds = await app.inject({
    method: "POST",
    url: "/runs?seed=1",
    payload: { name: "default", seed: 2 },
  });
  assert.is(seeds.statusCode, 400);
});

bad("broken JSON, an empty body, an unsupported media type", async () => {
  const broken = await postJson('{"name":');
  assert.is(broken.status, 400);
  assert.is(broken.body.code, "HINTMIG_INVALID_JSON");
  const empty = await postJson("");
  assert.is(empty.status, 400);
  assert.is(empty.body.code, "HINTMIG_INVALID_JSON");
  const text = await app.inject({
    method: "POST",
    url: "/runs",
    headers: { "content-type": "text/plain" },
    payload: TINY_YAML,
  });
  assert.is(text.statusCode, 415);
  assert.is(text.json<ErrorBody>().code, "HINTMIG_UNSUPPORTED_MEDIA_TYPE");
  const form = await app.inject({
    method: "POST",
    url: "/runs",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: "name=default",
  });
  assert.is(form.statusCode, 415);
});

bad("a body over the limit is refused with 413 before it is parsed", async () => {
  const big = `${TINY_YAML}# ${"x".repeat(70 * 1024)}\n`;
  const yaml = await postYaml(big);
  assert.is(yaml.status, 413);
  assert.is(yaml.body.code, "HINTMIG_BODY_TOO_LARGE");
  const json = await postJson(JSON.stringify({ name: "default", pad: "x".repeat(70 * 1024) }));
  assert.is(json.status, 413);
});

bad("ids that try to leave reports/ are refused on every route", async () => {
  const outside = makeTempDir("hintmig-outside-");
  fs.writeFileSync(`${outside}/status.json`, "{}");
  const ids = [
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "..",
    encodeURIComponent(`../${outside.split("/").at(-1)}`),
    "%2Ftmp",
    "tiny-20200101-000000-abcd%00",
    "TINY-20200101-000000-ABCD",
    "a".repeat(2000),
  ];
  try {
    for (const id of ids) {
      for (const [method, suffix] of [
        ["GET", ""],
        ["GET", "/events"],
        ["GET", "/report"],
        ["DELETE", ""],
      ] as const) {
        const response = await app.inject({
          method,
          url: `/runs/${id}${suffix}`,
          headers: { accept: "*/*" },
        });
        const where = `${method} ${id.slice(0, 40)}${suffix}: ${response.statusCode}`;
        if (response.statusCode === 200) {
          // inject resolves dot segments as a browser would: /runs/%2e%2e is / (the home page) by then.
          assert.match(response.body, /<title>hintmig server<\/title>/, where);
        } else {
          assert.ok([400, 404].includes(response.statusCode), where);
          assert.match(response.json<ErrorBody>().code, /^HINTMIG_/, where);
        }
        // The id may be echoed in the message; file contents never are.
        assert.not.match(response.body, /root:x?:0:0|"state"/);
      }
    }
    const cursor = await app.inject("/runs?before=..%2F..%2Fetc");
    assert.is(cursor.statusCode, 400);
  } finally {
    removeDir(outside);
  }
});

bad.run();
