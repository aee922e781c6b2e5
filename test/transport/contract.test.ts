// What every transport's ops table promises the migration core, run against each one: a batch takes at
// least as long as any thread it charges (a thread is one core) and as each host's charges spread over its
// cores; nothing exceeds max-bandwidth; costs grow with the batch; an empty batch costs nothing.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { HostSide } from "../../src/transport/cpu.ts";
import type { TransferCost } from "../../src/transport/transport.ts";
import { TRANSPORT_NAMES, transportOf } from "./context.ts";

const BATCH = { normalPages: 20_000, zeroPages: 5_000 };
const UNLIMITED = 1e15;

function hostBusy(cost: TransferCost, host: HostSide): number {
  return cost.charges.filter((c) => c.host === host).reduce((sum, c) => sum + c.busyNs, 0);
}

for (const name of TRANSPORT_NAMES) {
  const contract = suite(`transport contract: ${name}`);

  contract("its name is its registry key", () => {
    assert.is(transportOf(name).name, name);
  });

  contract("no thread is busier than the batch is long, nor any host beyond its cores", () => {
    for (const cores of [1, 2, 8]) {
      const t = transportOf(name, (c) => {
        c.host.cores = cores;
        c.transport.multifdChannels = 4;
        c.transport.multifdTls = true;
      });
      const cost = t.sendPages(BATCH, UNLIMITED);
      assert.ok(cost.durationNs > 0);
      for (const c of cost.charges) {
        assert.ok(c.busyNs <= cost.durationNs * (1 + 1e-12), `${c.thread}: ${c.busyNs} > ${cost.durationNs}`);
      }
      for (const host of ["source", "destination"] as const) {
        assert.ok(hostBusy(cost, host) <= cores * cost.durationNs * (1 + 1e-12), `${host} on ${cores} cores`);
      }
    }
  });

  contract("each thread is charged once per batch and runs on one host", () => {
    const cost = transportOf(name).sendPages(BATCH, UNLIMITED);
    const keys = cost.charges.map((c) => `${c.host}/${c.thread}`);
    assert.equal(keys, [...new Set(keys)]);
    assert.ok(cost.charges.some((c) => c.host === "source"));
    assert.ok(cost.charges.some((c) => c.host === "destination"));
  });

  contract("max-bandwidth bounds the counted bytes", () => {
    const limit = 50e6;
    const cost = transportOf(name).sendPages(BATCH, limit);
    assert.ok(cost.wireBytes / (cost.durationNs / 1e9) <= limit * (1 + 1e-9));
  });

  contract("twice the pages take about twice as long", () => {
    const t = transportOf(name);
    const one = t.sendPages(BATCH, UNLIMITED);
    const two = t.sendPages(
      { normalPages: 2 * BATCH.normalPages, zeroPages: 2 * BATCH.zeroPages },
      UNLIMITED,
    );
    assert.ok(Math.abs(two.durationNs / one.durationNs - 2) < 1e-6, `${two.durationNs / one.durationNs}`);
    assert.ok(Math.abs(two.wireBytes / one.wireBytes - 2) < 1e-6);
  });

  contract("an empty batch costs nothing", () => {
    const cost = transportOf(name).sendPages({ normalPages: 0, zeroPages: 0 }, UNLIMITED);
    assert.is(cost.durationNs, 0);
    assert.is(cost.wireBytes, 0);
  });

  contract("opening the channel takes at least the plain connection's round trips", () => {
    const plain = transportOf("plain").connectNs();
    assert.ok(transportOf(name).connectNs() >= plain);
    assert.ok(transportOf(name).latencyNs() > 0);
  });

  contract("opaque bytes (device state) cost time and are counted", () => {
    const cost = transportOf(name).sendBytes(512 * 1024, UNLIMITED);
    assert.ok(cost.durationNs > 0);
    assert.is(cost.wireBytes, 512 * 1024);
  });

  contract.run();
}
