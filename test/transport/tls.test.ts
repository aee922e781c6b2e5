// `tls` against its closed form: with the cipher slower than everything else, a batch takes its stream
// bytes over the cipher rate; with a fast cipher, the link carries the records' overhead too.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ramStreamBytes } from "../../src/migration/stream-format.ts";
import type { SimConfig } from "../../src/model.ts";
import { singleStreamNs, tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { contextOf, freeHost, relErr, transportOf } from "./context.ts";

const PAGE = 4096;
const BATCH = { normalPages: 10_000, zeroPages: 2_000 };
const BYTES = ramStreamBytes(BATCH.normalPages, BATCH.zeroPages, PAGE);
const FRAMED = BYTES * (1 + 22 / 16384);
const UNLIMITED = 1e15;

function fastCipher(c: SimConfig): void {
  freeHost(c);
  c.transport.tlsEncryptBytesPerSec = 1e12;
  c.transport.tlsDecryptBytesPerSec = 1e12;
}

const tls = suite("transport: tls");

tls("cipher-bound: the batch takes its bytes over the encrypt rate, on the migration thread", () => {
  const t = transportOf("tls", (c) => {
    freeHost(c);
    c.transport.tlsEncryptBytesPerSec = 100e6;
    c.transport.tlsDecryptBytesPerSec = 200e6;
  });
  const cost = t.sendPages(BATCH, UNLIMITED);
  assert.ok(relErr(cost.durationNs, (BYTES / 100e6) * 1e9) < 1e-12);
  assert.equal(
    cost.charges.map((c) => [c.host, c.thread]),
    [
      ["source", "migration"],
      ["destination", "receive"],
    ],
  );
  assert.ok(relErr(cost.charges[1]!.busyNs, (BYTES / 200e6) * 1e9) < 1e-12);
  // QEMU counts its stream before TLS: `transferred` has no record overhead.
  assert.is(cost.wireBytes, BYTES);
});

tls("decrypt-bound when the destination's cipher is the slower", () => {
  const t = transportOf("tls", (c) => {
    freeHost(c);
    c.transport.tlsEncryptBytesPerSec = 400e6;
    c.transport.tlsDecryptBytesPerSec = 150e6;
  });
  assert.ok(relErr(t.sendPages(BATCH, UNLIMITED).durationNs, (BYTES / 150e6) * 1e9) < 1e-12);
});

tls("link-bound with a fast cipher: the records' headers and tags cross the link too", () => {
  const cost = transportOf("tls", fastCipher).sendPages(BATCH, UNLIMITED);
  const plain = transportOf("plain", freeHost).sendPages(BATCH, UNLIMITED);
  const goodput = tcpGoodputBytesPerSec(contextOf().network);
  assert.ok(relErr(cost.durationNs, (FRAMED / goodput) * 1e9) < 1e-12);
  assert.ok(relErr(cost.durationNs / plain.durationNs, 1 + 22 / 16384) < 1e-12);
});

tls("a long RTT makes the socket window the bound, on the framed bytes", () => {
  const longRtt = (c: SimConfig) => {
    fastCipher(c);
    c.network.rttNs = 20e6;
  };
  const net = contextOf(longRtt).network;
  const cost = transportOf("tls", longRtt).sendPages(BATCH, UNLIMITED);
  assert.ok(relErr(cost.durationNs, singleStreamNs(net, BYTES, FRAMED, UNLIMITED)) < 1e-12);
  assert.ok(relErr(cost.durationNs, (FRAMED / (net.socketBufferBytes / 0.02)) * 1e9) < 1e-12);
});

tls("DESIGN §1: the default cipher keeps one stream near 300 MB/s under a 500 MB/s link", () => {
  const link500 = (c: SimConfig) => {
    c.network.bandwidthBytesPerSec = 500e6;
  };
  const rate = (name: "tls" | "plain") => {
    const cost = transportOf(name, link500).sendPages({ normalPages: 100_000, zeroPages: 0 }, UNLIMITED);
    return cost.wireBytes / (cost.durationNs / 1e9);
  };
  assert.ok(rate("tls") > 270e6 && rate("tls") < 300e6, `tls ${rate("tls")}`);
  assert.ok(rate("plain") > 470e6, `plain ${rate("plain")}`);
});

tls("opening the channel adds the handshake's round trips and CPU", () => {
  const t = transportOf("tls", (c) => {
    c.network.rttNs = 1e6;
    c.transport.tlsHandshakeRtts = 2;
    c.transport.tlsHandshakeNs = 3e6;
  });
  assert.is(t.connectNs(), 2e6 + 2e6 + 3e6);
});

tls.run();
