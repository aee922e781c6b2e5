// `tunnelled` against its closed forms: the daemon thread on each host copies every byte and pays per
// message, and with TLS it also runs the cipher; RPC headers cross the link; QEMU's own threads do what
// they do for plain.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ramStreamBytes } from "../../src/migration/stream-format.ts";
import type { SimConfig } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { contextOf, freeHost, relErr, transportOf } from "./context.ts";

const PAGE = 4096;
const BATCH = { normalPages: 16_000, zeroPages: 4_000 };
const BYTES = ramStreamBytes(BATCH.normalPages, BATCH.zeroPages, PAGE);
const MESSAGES = BYTES / (64 * 1024);
const UNLIMITED = 1e15;

function slowDaemon(c: SimConfig): void {
  freeHost(c);
  c.transport.daemonTls = false;
  c.transport.daemonCopyBytesPerSec = 500e6;
  c.transport.daemonMessageNs = 5_000;
}

const tunnelled = suite("transport: tunnelled");

tunnelled("daemon-bound: bytes over the copy rate plus the per-message cost, on libvirtd", () => {
  const cost = transportOf("tunnelled", slowDaemon).sendPages(BATCH, UNLIMITED);
  const daemonNs = (BYTES / 500e6) * 1e9 + MESSAGES * 5_000;
  assert.ok(relErr(cost.durationNs, daemonNs) < 1e-12);
  assert.equal(
    cost.charges.map((c) => [c.host, c.thread]),
    [
      ["source", "libvirtd"],
      ["destination", "libvirtd"],
    ],
    "QEMU's threads cost nothing on a free host; the daemons on both hosts do",
  );
  assert.is(cost.wireBytes, BYTES);
});

tunnelled("slower than plain when the daemon binds", () => {
  const plain = transportOf("plain", slowDaemon).sendPages(BATCH, UNLIMITED);
  const tunnel = transportOf("tunnelled", slowDaemon).sendPages(BATCH, UNLIMITED);
  assert.ok(tunnel.durationNs > 2 * plain.durationNs);
});

tunnelled("link-bound: the RPC headers cross the link with the stream", () => {
  const fast = (c: SimConfig) => {
    slowDaemon(c);
    c.transport.daemonCopyBytesPerSec = Number.POSITIVE_INFINITY;
    c.transport.daemonMessageNs = 0;
  };
  const cost = transportOf("tunnelled", fast).sendPages(BATCH, UNLIMITED);
  const framed = BYTES + MESSAGES * 28;
  assert.ok(relErr(cost.durationNs, (framed / tcpGoodputBytesPerSec(contextOf().network)) * 1e9) < 1e-12);
});

tunnelled("daemon TLS runs on the daemon threads, over payload and headers; QEMU does not pay it", () => {
  const tls = (c: SimConfig) => {
    slowDaemon(c);
    c.transport.daemonTls = true;
    c.transport.daemonCopyBytesPerSec = Number.POSITIVE_INFINITY;
    c.transport.daemonMessageNs = 0;
    c.transport.tlsEncryptBytesPerSec = 100e6;
    c.transport.tlsDecryptBytesPerSec = 200e6;
  };
  const cost = transportOf("tunnelled", tls).sendPages(BATCH, UNLIMITED);
  const rpcBytes = BYTES + MESSAGES * 28;
  assert.ok(relErr(cost.durationNs, (rpcBytes / 100e6) * 1e9) < 1e-12);
  const dst = cost.charges.find((c) => c.host === "destination" && c.thread === "libvirtd")!;
  assert.ok(relErr(dst.busyNs, (rpcBytes / 200e6) * 1e9) < 1e-12);
  assert.not.ok(cost.charges.some((c) => c.thread === "migration"));
});

tunnelled("defaults: TLS through one daemon thread gives the ~2 Gbit/s reported on 10 Gbit/s", () => {
  const cost = transportOf("tunnelled").sendPages({ normalPages: 100_000, zeroPages: 0 }, UNLIMITED);
  const gbits = (cost.wireBytes * 8) / cost.durationNs;
  assert.ok(gbits > 1.8 && gbits < 2.2, `${gbits} Gbit/s`);
});

tunnelled("connecting: the daemons' connection and Prepare call, plus TLS when on", () => {
  const rtt = contextOf().network.rttNs;
  const noTls = transportOf("tunnelled", (c) => {
    c.transport.daemonTls = false;
  });
  assert.is(noTls.connectNs(), 2 * rtt);
  assert.is(transportOf("tunnelled").connectNs(), 2 * rtt + rtt + 2e6);
});

tunnelled.run();
