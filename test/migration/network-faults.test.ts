// Network faults and cancellation during precopy, per transport, against their parameters: how long a
// cancel takes (a direct stream drains its socket, or waits out TCP's timeout on a dead link; the daemon
// aborts at once), how long a break takes to notice, what it says, and that the guest never loses anything
// on the source whatever happens.

import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import type { Command, SimConfig, TransportName, VariantResult } from "../../src/model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../../src/model.ts";
import { tcpGoodputBytesPerSec, windowRateBytesPerSec } from "../../src/transport/link.ts";
import { fullGuest, simConfig, uniformDirty } from "../support/sim-config.ts";
import { relErr } from "../transport/context.ts";

const GiB = 1024 ** 3;
const MS = NS_PER_MS;
/** The migrate command is at 1 s on the scenario clock (simConfig's default). */
const START_NS = 1000 * MS;
const TCP_TIMEOUT_NS = 10 * NS_PER_SEC;

/** A guest full of data, idle while migrating, max-bandwidth lifted, TCP giving up after 10 s. */
function guest(transport: TransportName, commands: Command[], patch: (c: SimConfig) => void = () => {}) {
  return fullGuest((c) => {
    c.migration.transport = transport;
    c.network.tcpTimeoutNs = TCP_TIMEOUT_NS;
    c.transport.multifdChannels = 4;
    c.commands = commands;
    patch(c);
  });
}

const at = (ms: number) => START_NS + ms * MS;

function interruption(r: VariantResult) {
  assert.ok(r.interruption, `${r.name}: ${r.status} without an interruption`);
  return r.interruption;
}

/** Nothing lost: the guest runs on the source with all its pages, the destination's copy thrown away. */
function safeOnSource(r: VariantResult): void {
  assert.is(r.verification.scope, "source");
  assert.is(r.verification["guest-running-on"], "source");
  assert.is(r.verification.mismatches, 0);
  assert.ok(r.verification["checked-pages"] > 0);
}

const cancel = suite("migrate_cancel latency per transport");

cancel("plain, link-bound: the socket buffer drains at the link rate", () => {
  const r = runVariant(guest("plain", [{ atNs: at(300), kind: "migrate_cancel" }]));
  assert.is(r.status, "cancelled");
  safeOnSource(r);
  const net = guest("plain", []).network;
  const drainRate = Math.min(tcpGoodputBytesPerSec(net), windowRateBytesPerSec(net));
  const expectedMs = (net.socketBufferBytes / drainRate) * 1000;
  const i = interruption(r);
  assert.is(i.cause, "migrate_cancel");
  assert.ok(relErr(i["latency-ms"], expectedMs) < 0.02, `${i["latency-ms"]} ms vs ${expectedMs} ms`);
});

cancel("multifd: the main channel's and every channel's buffers drain over the one link", () => {
  const r = runVariant(guest("multifd", [{ atNs: at(300), kind: "migrate_cancel" }]));
  const net = guest("multifd", []).network;
  const streams = 4 + 1;
  const expectedMs = ((streams * net.socketBufferBytes) / tcpGoodputBytesPerSec(net)) * 1000;
  const latency = interruption(r)["latency-ms"];
  assert.ok(relErr(latency, expectedMs) < 0.02, `${latency} ms vs ${expectedMs} ms`);
});

cancel("tls, cipher-bound: its socket is mostly empty, so it drains sooner than plain's", () => {
  const r = runVariant(guest("tls", [{ atNs: at(300), kind: "migrate_cancel" }]));
  const net = guest("tls", []).network;
  const linkRate = tcpGoodputBytesPerSec(net);
  // The cipher fills the buffer at its rate; the link empties it at its own.
  const fill = 300e6 / linkRate;
  const expectedMs = ((net.socketBufferBytes * fill) / linkRate) * 1000;
  const latency = interruption(r)["latency-ms"];
  assert.ok(relErr(latency, expectedMs) < 0.05, `${latency} ms vs ${expectedMs} ms`);
});

cancel("tunnelled: the daemon aborts its stream at once, link up or down", () => {
  for (const commands of [
    [{ atNs: at(300), kind: "migrate_cancel" }],
    [
      { atNs: at(300), kind: "link-down", channel: null },
      { atNs: at(500), kind: "migrate_cancel" },
    ],
  ] satisfies Command[][]) {
    const r = runVariant(guest("tunnelled", commands));
    assert.is(r.status, "cancelled");
    safeOnSource(r);
    // The daemon's one message of work, after the write in progress (tens of µs at most).
    const daemonMs = guest("tunnelled", []).transport.daemonMessageNs / MS;
    const latency = interruption(r)["latency-ms"];
    assert.ok(latency >= daemonMs && latency < daemonMs + 0.02, `${latency} ms`);
  }
});

cancel("a direct stream cancelled on a dead link waits out TCP's timeout; a link back shortens it", () => {
  for (const transport of ["plain", "tls", "multifd"] satisfies TransportName[]) {
    const r = runVariant(
      guest(transport, [
        { atNs: at(300), kind: "link-down", channel: null },
        { atNs: at(2300), kind: "migrate_cancel" },
      ]),
    );
    assert.is(r.status, "cancelled", transport);
    safeOnSource(r);
    const expectedMs = (TCP_TIMEOUT_NS - 2000 * MS) / MS;
    assert.ok(relErr(interruption(r)["latency-ms"], expectedMs) < 1e-6, `${transport}: ${r.interruption}`);
  }
  const back = runVariant(
    guest("plain", [
      { atNs: at(300), kind: "link-down", channel: null },
      { atNs: at(2300), kind: "migrate_cancel" },
      { atNs: at(3300), kind: "link-up", channel: null },
    ]),
  );
  // Once packets flow again the socket drains in a few ms.
  assert.ok(Math.abs(interruption(back)["latency-ms"] - 1000) < 10, `${interruption(back)["latency-ms"]} ms`);
});

const detect = suite("failure detection per transport");

detect(
  "a link down past the timeout fails: TCP's timeout for direct streams, keepalive for the daemons",
  () => {
    const expected: Record<TransportName, { ms: number; message: RegExp; channel: RegExp }> = {
      plain: {
        ms: 10_000,
        message: /^Unable to write to socket: Connection timed out/,
        channel: /migration stream/,
      },
      tls: { ms: 10_000, message: /Connection timed out .*TLS over TCP/, channel: /migration stream/ },
      multifd: { ms: 10_000, message: /Connection timed out/, channel: /all 4 multifd channels/ },
      // keepalive_interval 5 s × (keepalive_count 5 + 1) = 30 s, but TCP gives up first at 10 s.
      tunnelled: { ms: 10_000, message: /Connection timed out/, channel: /daemons' connection/ },
      rpc: { ms: 10_000, message: /Connection timed out/, channel: /daemons' connection/ },
    };
    for (const [transport, want] of Object.entries(expected) as [
      TransportName,
      (typeof expected)["plain"],
    ][]) {
      const r = runVariant(guest(transport, [{ atNs: at(300), kind: "link-down", channel: null }]));
      assert.is(r.status, "failed", transport);
      safeOnSource(r);
      const i = interruption(r);
      assert.is(i.cause, "link-down");
      assert.is(i["event-ms"], 300);
      assert.ok(relErr(i["latency-ms"], want.ms) < 1e-6, `${transport}: ${i["latency-ms"]} ms`);
      assert.match(r["error-desc"] ?? "", want.message, transport);
      assert.match(i.channel, want.channel, transport);
      assert.match(r["error-desc"] ?? "", /at 0\.300 s, noticed at 10\.300 s, 10\.000 s later/);
      assert.ok(i["discarded-pages"] > 0, transport);
      assert.ok(i["wasted-bytes"] >= Math.floor(r.ram.transferred), transport);
    }
    const keepalive = runVariant(
      guest("tunnelled", [{ atNs: at(300), kind: "link-down", channel: null }], (c) => {
        c.network.tcpTimeoutNs = 924.6 * NS_PER_SEC;
      }),
    );
    assert.ok(relErr(interruption(keepalive)["latency-ms"], 30_000) < 1e-6);
    assert.match(
      keepalive["error-desc"] ?? "",
      /^internal error: connection closed due to keepalive timeout/,
    );
  },
);

detect("a link back before the timeout is no failure: TCP retransmits and the migration completes", () => {
  const r = runVariant(
    guest("plain", [
      { atNs: at(300), kind: "link-down", channel: null },
      { atNs: at(5300), kind: "link-up", channel: null },
    ]),
  );
  assert.is(r.status, "completed", r["error-desc"]);
  assert.is(r.verification.mismatches, 0);
  assert.ok(r["total-time"] > 5000);
});

detect("a connection reset fails at once, and says so", () => {
  const r = runVariant(guest("tls", [{ atNs: at(300), kind: "connection-reset", channel: null }]));
  assert.is(r.status, "failed");
  safeOnSource(r);
  assert.match(r["error-desc"] ?? "", /^Unable to write to socket: Connection reset by peer/);
  assert.ok(interruption(r)["latency-ms"] < 1, `${interruption(r)["latency-ms"]} ms`);
});

detect(
  "one multifd channel down: the others carry pages until the sync waits for it; the error names it",
  () => {
    const r = runVariant(guest("multifd", [{ atNs: at(100), kind: "link-down", channel: 2 }]));
    assert.is(r.status, "failed");
    safeOnSource(r);
    assert.match(interruption(r).channel, /^multifd channel 2$/);
    // The three channels left sent most of the bulk pass (100 ms at line rate is ~28,000 pages) before
    // the sync stalled.
    assert.ok(r.ram.normal > 0.5 * (GiB / 4096), `${r.ram.normal} pages sent`);
  },
);

detect("a break during stop-and-copy resumes the paused guest on the source", () => {
  const busy = (commands: Command[]) =>
    guest("plain", commands, (c) => {
      c.workload = [{ kind: "boot", dataBytes: GiB / 2 }, uniformDirty(400e6, GiB / 4)];
    });
  const clean = runVariant(busy([]));
  const stop = clean.passes.find((p) => p.stage === "stop-and-copy")!;
  assert.ok(stop["end-ms"] - stop["start-ms"] > 2, "a stop-and-copy long enough to cut into");
  const r = runVariant(busy([{ atNs: at(stop["start-ms"] + 1), kind: "connection-reset", channel: null }]));
  assert.is(r.status, "failed");
  assert.ok(r.downtime > 0, "the guest was paused when it broke");
  safeOnSource(r);
});

detect("a source host that dies takes the guest with it: the verifier counts every page lost", () => {
  const r = runVariant(guest("plain", [{ atNs: at(300), kind: "source-fail" }]));
  assert.is(r.status, "failed");
  assert.is(r.verification["guest-running-on"], "nowhere");
  assert.is(r.verification.mismatches, r.verification["checked-pages"]);
  assert.ok(r.verification.mismatches > 0);
});

const link = suite("link rate and loss");

link("packet loss caps each stream at Mathis' rate; a bandwidth change sets a new line rate", () => {
  const lossy = runVariant(guest("plain", [], (c) => (c.network.packetLossRate = 0.01)));
  const net = guest("plain", [], (c) => (c.network.packetLossRate = 0.01)).network;
  const mss = net.mtuBytes - net.tcpIpHeaderBytes;
  const mathis = (mss * Math.sqrt(1.5)) / ((net.rttNs / NS_PER_SEC) * Math.sqrt(0.01));
  const sendingSec = (r: VariantResult) => (r.passes.at(-1)!["end-ms"] - r["setup-time"]) / 1000;
  assert.ok(relErr(sendingSec(lossy), lossy.ram.transferred / mathis) < 0.05, `${sendingSec(lossy)} s`);

  const full = runVariant(guest("plain", []));
  const slower = runVariant(
    guest("plain", [{ atNs: START_NS, kind: "link-bandwidth", bandwidthBytesPerSec: 0.625e9 }]),
  );
  const ratio = sendingSec(slower) / sendingSec(full);
  assert.ok(Math.abs(ratio - 2) < 0.05, `half the line rate: ${ratio}× the time`);
});

const safety = suite("no fault loses guest data on the source");

safety("any transport, any fault at any time: completed and verified, or back on the source whole", () => {
  const transports: TransportName[] = ["plain", "tls", "tunnelled", "rpc", "multifd"];
  fc.assert(
    fc.property(
      fc.constantFrom(...transports),
      fc.constantFrom("link-down", "link-flap", "connection-reset", "migrate_cancel", "cut-and-cancel"),
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 1, max: 1000 }),
      (transport, fault, atMs, seed) => {
        const t = at(atMs);
        const commands: Command[] =
          fault === "link-down"
            ? [{ atNs: t, kind: "link-down", channel: null }]
            : fault === "link-flap"
              ? [
                  { atNs: t, kind: "link-down", channel: null },
                  { atNs: t + 500 * MS, kind: "link-up", channel: null },
                ]
              : fault === "connection-reset"
                ? [{ atNs: t, kind: "connection-reset", channel: null }]
                : fault === "migrate_cancel"
                  ? [{ atNs: t, kind: "migrate_cancel" }]
                  : [
                      { atNs: t, kind: "link-down", channel: null },
                      { atNs: t + 200 * MS, kind: "migrate_cancel" },
                    ];
        const r = runVariant(
          simConfig({
            seed,
            memoryBytes: GiB / 4,
            workload: [{ kind: "boot", dataBytes: GiB / 8 }, uniformDirty(100e6, GiB / 16)],
            patch: (c) => {
              c.migration.transport = transport;
              c.network.tcpTimeoutNs = 2 * NS_PER_SEC;
              c.commands = commands;
            },
          }),
        );
        if (r.status === "completed") {
          assert.is(r.verification.scope, "destination");
          assert.is(r.verification.mismatches, 0);
        } else safeOnSource(r);
      },
    ),
    { numRuns: 40, seed: 8 },
  );
});

cancel.run();
detect.run();
link.run();
safety.run();
