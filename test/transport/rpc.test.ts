// `rpc` against its closed forms: with replies awaited, W calls in flight take at least one call's chain
// (source daemon, wire, destination daemon, round trip), so throughput is at most W × message / RTT;
// fire-and-forget awaits nothing and runs at the pace of the daemons or the link.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ramStreamBytes } from "../../src/migration/stream-format.ts";
import type { SimConfig } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { contextOf, freeHost, relErr, transportOf } from "./context.ts";

const PAGE = 4096;
const MESSAGE = 64 * 1024;
const BATCH = { normalPages: 16_000, zeroPages: 0 };
const BYTES = ramStreamBytes(BATCH.normalPages, 0, PAGE);
const MESSAGES = BYTES / MESSAGE;
const UNLIMITED = 1e15;
const RTT = 1e6;

/** Only the round trip costs: free daemons, no TLS, a 1 ms RTT and a big enough socket buffer. */
function rttOnly(window: number) {
  return (c: SimConfig) => {
    freeHost(c);
    c.network.rttNs = RTT;
    c.network.socketBufferBytes = 1024 ** 3;
    c.transport.rpcWindow = window;
    c.transport.daemonTls = false;
    c.transport.daemonCopyBytesPerSec = Number.POSITIVE_INFINITY;
    c.transport.daemonMessageNs = 0;
  };
}

const rpc = suite("transport: rpc");

rpc("stop-and-wait: one round trip plus one message on the wire per call", () => {
  const cost = transportOf("rpc", rttOnly(1)).sendPages(BATCH, UNLIMITED);
  const wireNs = ((MESSAGE + 28) / tcpGoodputBytesPerSec(contextOf().network)) * 1e9;
  assert.ok(relErr(cost.durationNs, MESSAGES * (RTT + wireNs)) < 1e-9);
  assert.ok(cost.durationNs >= MESSAGES * RTT);
});

rpc("a window of W calls divides the stall by W, never beyond W × message / RTT", () => {
  const one = transportOf("rpc", rttOnly(1)).sendPages(BATCH, UNLIMITED).durationNs;
  for (const w of [2, 4]) {
    const cost = transportOf("rpc", rttOnly(w)).sendPages(BATCH, UNLIMITED);
    assert.ok(relErr(cost.durationNs, one / w) < 1e-9, `window ${w}`);
    assert.ok(BYTES / (cost.durationNs / 1e9) <= (w * MESSAGE) / (RTT / 1e9));
  }
});

rpc("fire-and-forget awaits nothing: link-bound, like the stream it then is", () => {
  const cost = transportOf("rpc", rttOnly(0)).sendPages(BATCH, UNLIMITED);
  const framed = BYTES + MESSAGES * 28;
  assert.ok(relErr(cost.durationNs, (framed / tcpGoodputBytesPerSec(contextOf().network)) * 1e9) < 1e-9);
  assert.ok(cost.durationNs * 10 < transportOf("rpc", rttOnly(1)).sendPages(BATCH, UNLIMITED).durationNs);
});

rpc("each daemon passes over the payload twice (XDR) and handles a reply per call", () => {
  const daemons = (window: number) => (c: SimConfig) => {
    freeHost(c);
    c.transport.rpcWindow = window;
    c.transport.daemonTls = false;
    c.transport.daemonCopyBytesPerSec = 1e9;
    c.transport.daemonMessageNs = 10_000;
  };
  const copy = (BYTES / 1e9) * 1e9;
  const forget = transportOf("rpc", daemons(0)).sendPages(BATCH, UNLIMITED);
  const daemon = (cost: typeof forget, host: string) =>
    cost.charges.find((c) => c.thread === "libvirtd" && c.host === host)!.busyNs;
  assert.ok(relErr(daemon(forget, "source"), 2 * copy + MESSAGES * 10_000) < 1e-12);
  assert.ok(relErr(daemon(forget, "destination"), 2 * copy + MESSAGES * 10_000) < 1e-12);
  const answered = transportOf("rpc", daemons(64)).sendPages(BATCH, UNLIMITED);
  assert.ok(relErr(daemon(answered, "source"), 2 * copy + 2 * MESSAGES * 10_000) < 1e-12);
});

rpc("the waiting burns no CPU: threads are idle for most of a stop-and-wait batch", () => {
  const cost = transportOf("rpc", (c) => {
    c.network.rttNs = RTT;
    c.transport.rpcWindow = 1;
  }).sendPages(BATCH, UNLIMITED);
  for (const c of cost.charges) assert.ok(c.busyNs < cost.durationNs / 2, c.thread);
});

rpc("the last call is answered a round trip after it is sent", () => {
  assert.is(transportOf("rpc", rttOnly(1)).latencyNs(), RTT);
  assert.is(transportOf("rpc", rttOnly(0)).latencyNs(), RTT / 2);
});

rpc.run();
