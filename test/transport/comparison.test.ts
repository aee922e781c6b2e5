// The bundled transport scenarios, run whole: every variant completes with nothing lost, and the
// transports rank as their bottlenecks say they must.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runScenario } from "../../src/index.ts";
import type { VariantResult } from "../../src/model.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";

function run(file: string): Map<string, VariantResult> {
  const result = runScenario(loadScenarioFile(file).configs);
  for (const v of result.variants) {
    assert.is(v.status, "completed", `${v.name}: ${v["error-desc"]}`);
    assert.is(v.verification.mismatches, 0, v.name);
  }
  return new Map(result.variants.map((v) => [v.name, v]));
}

const time = (v: VariantResult | undefined) => v!["total-time"];
const idle = (v: VariantResult | undefined) => v!.cpu["host-idle-percent"];

const comparison = suite("transport scenarios");

comparison("examples/transports.yaml: each transport where its bottleneck puts it", () => {
  const v = run("scenarios/examples/transports.yaml");
  const plain = v.get("plain");
  for (const slower of ["tls", "tunnelled", "rpc-fire-and-forget", "rpc-stop-and-wait"]) {
    assert.ok(time(v.get(slower)) > 2 * time(plain), `${slower} is cipher- or window-bound`);
  }
  assert.ok(
    Math.abs(time(v.get("tunnelled-no-tls")) / time(plain) - 1) < 0.05,
    "the daemons keep up with 10 GbE",
  );
  const slowest = [...v.values()].reduce((a, b) => (time(a) >= time(b) ? a : b));
  assert.is(slowest.name, "rpc-stop-and-wait");
  assert.ok(time(v.get("multifd-4-tls")) * 3 < time(v.get("tls")), "four ciphers beat one");
  assert.ok(v.get("multifd-4-zstd")!.ram.transferred * 2 < plain!.ram.transferred, "zstd sends under half");
  assert.ok(idle(v.get("tls")) < idle(plain) && idle(v.get("multifd-4-tls")) < idle(v.get("tls")));
});

comparison("multifd-tls-2020: two TLS channels beat one TLS stream at both dirty rates", () => {
  const v = run("scenarios/published/multifd-tls-2020.yaml");
  for (const rate of [120, 200]) {
    assert.ok(time(v.get(`multifd-tls-2ch-mempress-${rate}`)) < time(v.get(`tls-mempress-${rate}`)) / 1.5);
  }
  assert.ok(
    time(v.get("tls-mempress-200")) > time(v.get("tls-mempress-120")),
    "faster writes, longer precopy",
  );
});

comparison("secure-migration-2009: plain fastest and idlest; stop-and-wait RPC slowest", () => {
  const v = run("scenarios/published/secure-migration-2009.yaml");
  const byTime = [...v.values()].sort((a, b) => time(a) - time(b)).map((r) => r.name);
  assert.is(byTime[0], "plain");
  assert.is(byTime.at(-1), "rpc-stop-and-wait");
  for (const secure of ["gnutls-side-band", "tunnelled-rpc-stream", "fire-and-forget-rpc"]) {
    assert.ok(idle(v.get(secure)) < idle(v.get("plain")), `${secure} costs the source CPU`);
  }
});

comparison.run();
