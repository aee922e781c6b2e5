// The shared fabric's fair shares, against hand-solved max-min allocations: fake transports whose
// batches cost what the test says, so every number below follows from the capacities alone.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { NetworkConfig, TransportName } from "../../src/model.ts";
import { NS_PER_SEC } from "../../src/model.ts";
import { directStreamFaults } from "../../src/transport/breakage.ts";
import type { ThreadCharge } from "../../src/transport/cpu.ts";
import { DAEMON_THREAD } from "../../src/transport/daemon-relay.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { SharedFabric } from "../../src/transport/shared-fabric.ts";
import type { Transport } from "../../src/transport/transport.ts";
import { simConfig } from "../support/sim-config.ts";
import { relErr } from "./context.ts";

const network: NetworkConfig = simConfig().network;
const GOODPUT = tcpGoodputBytesPerSec(network);
const CORES = 8;
const BATCH_BYTES = 100e6;

/**
 * A transport that would move a batch at `rate` bytes/s alone over `streams` TCP streams, keeping the
 * source's daemon thread busy `daemonPerByteNs` per byte when it is tunnelled.
 */
function fake(rate: number, opts: { streams?: number; daemonPerByteNs?: number; name?: TransportName } = {}) {
  const inner: Transport = {
    name: opts.name ?? "plain",
    streams: opts.streams ?? 1,
    connectNs: () => 0,
    latencyNs: () => 0,
    sendPages: () => cost(),
    sendBytes: () => cost(),
    ...directStreamFaults(network, { layer: "TCP", streams: 1, channelName: () => "the stream" }),
  };
  function cost() {
    const durationNs = (BATCH_BYTES / rate) * NS_PER_SEC;
    const charges: ThreadCharge[] = [{ host: "source", thread: "migration", busyNs: durationNs * 0.1 }];
    if (opts.daemonPerByteNs !== undefined) {
      charges.push({ host: "source", thread: DAEMON_THREAD, busyNs: BATCH_BYTES * opts.daemonPerByteNs });
    }
    return { durationNs, wireBytes: BATCH_BYTES, charges };
  }
  return inner;
}

/** The rate, in bytes/s, a transport's next batch gets. */
function rateOf(t: Transport): number {
  const c = t.sendBytes(BATCH_BYTES, Number.POSITIVE_INFINITY);
  return (c.wireBytes / c.durationNs) * NS_PER_SEC;
}

const fabric = suite("shared fabric");

fabric("one flow alone runs as it would without the fabric", () => {
  const f = new SharedFabric(network, CORES);
  const a = f.attach(fake(0.6 * GOODPUT));
  assert.ok(relErr(rateOf(a), 0.6 * GOODPUT) < 1e-9);
});

fabric("two link-bound flows split the link evenly", () => {
  const f = new SharedFabric(network, CORES);
  const a = f.attach(fake(GOODPUT));
  const b = f.attach(fake(GOODPUT));
  rateOf(a);
  assert.ok(relErr(rateOf(b), GOODPUT / 2) < 1e-9);
  assert.ok(relErr(rateOf(a), GOODPUT / 2) < 1e-9);
});

fabric("max-min: a flow slower than its share keeps its rate, the other takes the rest", () => {
  const f = new SharedFabric(network, CORES);
  const slow = f.attach(fake(0.2 * GOODPUT, { name: "tls" }));
  const fast = f.attach(fake(GOODPUT));
  rateOf(slow);
  assert.ok(relErr(rateOf(fast), 0.8 * GOODPUT) < 1e-9);
  assert.ok(relErr(rateOf(slow), 0.2 * GOODPUT) < 1e-9);
});

fabric("a flow of 4 streams takes 4 shares against one stream", () => {
  const f = new SharedFabric(network, CORES);
  const multifd = f.attach(fake(GOODPUT, { streams: 4, name: "multifd" }));
  const plain = f.attach(fake(GOODPUT));
  rateOf(multifd);
  assert.ok(relErr(rateOf(plain), GOODPUT / 5) < 1e-9);
  assert.ok(relErr(rateOf(multifd), (4 * GOODPUT) / 5) < 1e-9);
});

fabric("flows through one daemon thread share it, whatever the link could carry", () => {
  const f = new SharedFabric(network, CORES);
  // Each alone is bound by the daemon at 400 MB/s (2.5 ns of daemon per byte).
  const daemonRate = 400e6;
  const t = () => f.attach(fake(daemonRate, { daemonPerByteNs: NS_PER_SEC / daemonRate, name: "tunnelled" }));
  const [a, b, c] = [t(), t(), t()];
  rateOf(a);
  rateOf(b);
  assert.ok(relErr(rateOf(c), daemonRate / 3) < 1e-9, `${rateOf(c)}`);
});

fabric("a flow that goes idle gives its share back", () => {
  const f = new SharedFabric(network, CORES);
  const a = f.attach(fake(GOODPUT));
  const b = f.attach(fake(GOODPUT));
  rateOf(a);
  rateOf(b);
  a.idle?.();
  assert.ok(relErr(rateOf(b), GOODPUT) < 1e-9);
});

fabric("the hosts' cores are shared: CPU-bound flows split them", () => {
  const f = new SharedFabric(network, 1);
  // Each flow alone keeps 0.75 of the host's one core busy.
  const cpuHeavy = (): Transport => {
    const inner = fake(0.5 * GOODPUT);
    return {
      ...inner,
      sendBytes: () => {
        const durationNs = (BATCH_BYTES / (0.5 * GOODPUT)) * NS_PER_SEC;
        return {
          durationNs,
          wireBytes: BATCH_BYTES,
          charges: [{ host: "source", thread: "migration", busyNs: 0.75 * durationNs }],
        };
      },
    };
  };
  const a = f.attach(cpuHeavy());
  const b = f.attach(cpuHeavy());
  rateOf(a);
  // Together they would want 1.5 cores of 1: each gets 2/3 of its rate alone.
  assert.ok(relErr(rateOf(b), (0.5 * GOODPUT * 2) / 3) < 1e-9, `${rateOf(b)}`);
});

fabric.run();
