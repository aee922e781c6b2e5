// The bundled scenarios of issue 5 and 8, run whole: several guests sharing one link, and the network cut
// and cancelled during precopy per transport. They show what their comments say they show.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runScenario } from "../../src/index.ts";
import type { VariantResult } from "../../src/model.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";

function run(file: string): Map<string, VariantResult> {
  const result = runScenario(loadScenarioFile(file).configs);
  return new Map(result.variants.map((v) => [v.name, v]));
}

const bundled = suite("bundled scenarios: guests and faults");

bundled(
  "several-guests.yaml: sharing the daemons costs the database; multifd takes link from the web guests",
  () => {
    const v = run("scenarios/examples/several-guests.yaml");
    for (const variant of v.values()) {
      assert.is(variant.status, "completed", variant.name);
      for (const g of variant.guests ?? [])
        assert.is(g.verification.mismatches, 0, `${variant.name}/${g.name}`);
    }
    const db = (name: string) => v.get(name)!.guests!.find((g) => g.name === "db")!;
    assert.ok(db("tunnelled")["total-time"] > 1.2 * db("tunnelled-db-alone")["total-time"]);
    const web = (name: string) => v.get(name)!.guests!.find((g) => g.name === "web-1")!;
    assert.ok(web("db-multifd")["total-time"] > 1.2 * web("plain")["total-time"]);
  },
);

bundled(
  "network-faults.yaml: daemons notice and cancel fast; direct streams wait on TCP; nothing lost",
  () => {
    const v = run("scenarios/examples/network-faults.yaml");
    for (const variant of v.values()) {
      assert.ok(variant.status === "failed" || variant.status === "cancelled", variant.name);
      assert.is(variant.verification["guest-running-on"], "source", variant.name);
      assert.is(variant.verification.mismatches, 0, variant.name);
      assert.ok(variant.interruption, variant.name);
    }
    const latency = (name: string) => v.get(name)!.interruption!["latency-ms"];
    for (const direct of ["plain", "tls", "multifd"]) {
      assert.is(latency(`${direct}-cut`), 924_600, direct);
      assert.ok(latency(`${direct}-cut-and-cancel`) > 900_000, direct);
      assert.ok(latency(`${direct}-cancel`) < 100, direct);
    }
    assert.is(latency("tunnelled-cut"), 30_000);
    assert.ok(latency("tunnelled-cut-and-cancel") < 1);
    assert.match(v.get("tunnelled-cut")!["error-desc"]!, /keepalive timeout/);
    assert.match(v.get("multifd-channel-cut")!.interruption!.channel, /multifd channel 2/);
  },
);

bundled.run();
