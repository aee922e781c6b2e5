// The bearer token: with one configured, every data route needs it; the pages that hold no data do not.

import type { FastifyInstance } from "fastify";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { bearerCheck, isPublicPath } from "../../src/server/auth.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { buildTestApp, manualRunner, TINY_YAML, testConfig } from "./helpers.ts";

const TOKEN = "correct-horse-battery-staple";

let dir = "";
let app: FastifyInstance;

const auth = suite("server auth: bearer token");

auth.before(async () => {
  dir = makeTempDir("hintmig-auth-");
  app = await buildTestApp(testConfig(dir, { token: TOKEN }), manualRunner());
});
auth.after(async () => {
  await app.close();
  removeDir(dir);
});

auth("API routes answer 401 with WWW-Authenticate without the token, or with a wrong one", async () => {
  const requests = [
    { method: "GET" as const, url: "/runs" },
    { method: "GET" as const, url: "/scenarios" },
    { method: "GET" as const, url: "/runs/tiny-20200101-000000-abcd" },
    { method: "GET" as const, url: "/runs/tiny-20200101-000000-abcd/events" },
    { method: "DELETE" as const, url: "/runs/tiny-20200101-000000-abcd" },
    { method: "POST" as const, url: "/runs" },
    { method: "GET" as const, url: "/no-such-route" },
  ];
  for (const authorization of [undefined, "Bearer wrong", `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
    for (const request of requests) {
      const response = await app.inject({
        ...request,
        headers: {
          ...(authorization === undefined ? {} : { authorization }),
          ...(request.method === "POST" ? { "content-type": "application/yaml" } : {}),
        },
        ...(request.method === "POST" ? { payload: TINY_YAML } : {}),
      });
      assert.is(response.statusCode, 401, `${request.method} ${request.url} with ${authorization}`);
      assert.is(response.json().code, "HINTMIG_UNAUTHORIZED");
      assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
    }
  }
});

auth("with the token they work", async () => {
  const headers = { authorization: `Bearer ${TOKEN}` };
  assert.is((await app.inject({ url: "/runs", headers })).statusCode, 200);
  const post = await app.inject({
    method: "POST",
    url: "/runs",
    headers: { ...headers, "content-type": "application/yaml" },
    payload: TINY_YAML,
  });
  assert.is(post.statusCode, 202);
});

auth("the home page shell, the docs and the health check need no token", async () => {
  for (const url of ["/", "/docs", "/openapi.json", "/healthz"]) {
    assert.is((await app.inject(url)).statusCode, 200, url);
  }
  const home = await app.inject("/");
  assert.match(home.body, /data-auth="required"/);
  const doc = (await app.inject("/openapi.json")).json();
  assert.equal(doc.security, [{ bearer: [] }]);
});

auth("the checker: exact token, case-insensitive scheme, nothing else", () => {
  const check = bearerCheck("abc");
  assert.ok(check("Bearer abc"));
  assert.ok(check("bearer abc"));
  assert.not.ok(check("Bearer abcd"));
  assert.not.ok(check("Bearer ab"));
  assert.not.ok(check("Bearer abc def"));
  assert.not.ok(check(undefined));
  assert.ok(isPublicPath("/docs/static/index.html"));
  assert.not.ok(isPublicPath("/docsx"));
  assert.not.ok(isPublicPath("/runs"));
});

auth.run();
