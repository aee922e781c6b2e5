// `multifd` against its closed forms: channels scale a channel-bound stream until the link binds; the
// migration thread only walks and hands out; zero pages, compression and TLS cost in the channel threads;
// threads beyond the host's cores share them; every channel shakes hands.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { SimConfig } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { MULTIFD_OFFSET_BYTES, MULTIFD_PACKET_HEADER_BYTES } from "../../src/transport/multifd.ts";
import { contextOf, freeHost, relErr, transportOf } from "./context.ts";

const PAGE = 4096;
const PACKET_PAGES = 128;
const UNLIMITED = 1e15;
const BATCH = { normalPages: 12_800, zeroPages: 12_800 };

function packetBytes(normal: number, zero: number, payloadPerPage = PAGE): number {
  const pages = normal + zero;
  return (
    (pages / PACKET_PAGES) * MULTIFD_PACKET_HEADER_BYTES +
    pages * MULTIFD_OFFSET_BYTES +
    normal * payloadPerPage
  );
}

/** TLS on every channel at 300 MB/s, nothing else costs: each channel moves 300 MB/s. */
function tlsBound(channels: number) {
  return (c: SimConfig) => {
    freeHost(c);
    c.transport.multifdChannels = channels;
    c.transport.multifdTls = true;
    c.transport.tlsEncryptBytesPerSec = 300e6;
    c.transport.tlsDecryptBytesPerSec = 1e12;
    c.transport.multifdHandoffNs = 0;
  };
}

const multifd = suite("transport: multifd");

multifd("counted bytes are packets: a 320-byte header per packet, 8 bytes per page, data pages whole", () => {
  const cost = transportOf("multifd").sendPages(BATCH, UNLIMITED);
  assert.is(cost.wireBytes, packetBytes(BATCH.normalPages, BATCH.zeroPages));
});

multifd("N TLS-bound channels scale linearly until the 10 Gbit/s link binds", () => {
  const goodput = tcpGoodputBytesPerSec(contextOf().network);
  const linkRate = goodput / (1 + 22 / 16384);
  const batch = { normalPages: 128_000, zeroPages: 0 };
  const rates = [1, 2, 3, 4, 6].map((n) => {
    const cost = transportOf("multifd", tlsBound(n)).sendPages(batch, UNLIMITED);
    return cost.wireBytes / (cost.durationNs / 1e9);
  });
  for (const [i, n] of [1, 2, 3, 4, 6].entries()) {
    const expected = Math.min(n * 300e6, linkRate);
    assert.ok(relErr(rates[i]!, expected) < 1e-9, `${n} channels: ${rates[i]} vs ${expected}`);
  }
  assert.ok(rates[3]! < 4 * 300e6, "four channels are link-bound");
  assert.is(rates[4], rates[3]);
});

multifd("the migration thread walks and hands out; zero detection runs in the channels", () => {
  const t = transportOf("multifd", (c) => {
    c.transport.multifdChannels = 2;
  });
  const { host } = contextOf();
  const cost = t.sendPages(BATCH, UNLIMITED);
  const by = new Map(cost.charges.map((c) => [`${c.host}/${c.thread}`, c.busyNs]));
  const pages = BATCH.normalPages + BATCH.zeroPages;
  const main = pages * host.pageOverheadNs + (pages / PACKET_PAGES) * 2_000;
  assert.ok(relErr(by.get("source/migration")!, main) < 1e-12);
  const copy = (packetBytes(BATCH.normalPages, BATCH.zeroPages) / host.sendCopyBytesPerSec) * 1e9;
  const channels = BATCH.zeroPages * host.zeroPageScanNs + BATCH.normalPages * host.dataPageScanNs + copy;
  assert.ok(relErr(by.get("source/multifd-send-0")!, channels / 2) < 1e-12);
  assert.ok(relErr(by.get("source/multifd-send-1")!, channels / 2) < 1e-12);
  assert.ok(by.has("destination/multifd-recv-0") && by.has("destination/multifd-recv-1"));
  assert.not.ok(by.has("destination/receive"), "the main channel carries no pages");
});

multifd("zstd: fewer bytes by the ratio, compression-bound at the per-core rate times the channels", () => {
  const zstd = (channels: number) => (c: SimConfig) => {
    freeHost(c);
    c.transport.multifdHandoffNs = 0;
    c.transport.multifdChannels = channels;
    c.transport.multifdCompression = {
      method: "zstd",
      ratio: 2.884,
      compressBytesPerSec: 530e6,
      decompressBytesPerSec: 1360e6,
    };
  };
  const batch = { normalPages: 25_600, zeroPages: 0 };
  const one = transportOf("multifd", zstd(1)).sendPages(batch, UNLIMITED);
  assert.ok(relErr(one.wireBytes, packetBytes(batch.normalPages, 0, PAGE / 2.884)) < 1e-12);
  assert.ok(relErr(one.durationNs, ((batch.normalPages * PAGE) / 530e6) * 1e9) < 1e-12);
  const two = transportOf("multifd", zstd(2)).sendPages(batch, UNLIMITED);
  assert.ok(relErr(two.durationNs, one.durationNs / 2) < 1e-12);
  const recv = two.charges.find((c) => c.thread === "multifd-recv-0")!;
  assert.ok(relErr(recv.busyNs, ((batch.normalPages * PAGE) / 1360e6 / 2) * 1e9) < 1e-12);
});

multifd("more busy threads than cores: the host's cores are the bound", () => {
  const crowded = (c: SimConfig) => {
    tlsBound(8)(c);
    c.host.cores = 2;
  };
  const batch = { normalPages: 128_000, zeroPages: 0 };
  const cost = transportOf("multifd", crowded).sendPages(batch, UNLIMITED);
  const sourceBusy = cost.charges.filter((c) => c.host === "source").reduce((s, c) => s + c.busyNs, 0);
  assert.ok(relErr(cost.durationNs, sourceBusy / 2) < 1e-12);
  assert.ok(relErr(cost.wireBytes / (cost.durationNs / 1e9), 2 * 300e6) < 1e-9);
});

multifd("a batch smaller than one packet per channel keeps fewer channels busy", () => {
  const t = transportOf("multifd", tlsBound(3));
  const onePacket = t.sendPages({ normalPages: PACKET_PAGES, zeroPages: 0 }, UNLIMITED);
  const threePackets = t.sendPages({ normalPages: 3 * PACKET_PAGES, zeroPages: 0 }, UNLIMITED);
  assert.ok(relErr(onePacket.durationNs, threePackets.durationNs) < 1e-12);
});

multifd("each channel's own TCP window caps it; more channels, more in flight", () => {
  const farAway = (channels: number) => (c: SimConfig) => {
    freeHost(c);
    c.transport.multifdChannels = channels;
    c.network.rttNs = 50e6;
  };
  const batch = { normalPages: 128_000, zeroPages: 0 };
  const window = (4 * 1024 ** 2) / 0.05;
  for (const n of [1, 2, 4]) {
    const cost = transportOf("multifd", farAway(n)).sendPages(batch, UNLIMITED);
    assert.ok(relErr(cost.wireBytes / (cost.durationNs / 1e9), n * window) < 1e-9);
  }
});

multifd("connecting: the main channel, then every channel's handshake CPU on the destination in turn", () => {
  const handshakes = (channels: number) => (c: SimConfig) => {
    c.network.rttNs = 1e6;
    c.transport.multifdChannels = channels;
    c.transport.multifdTls = true;
    c.transport.tlsHandshakeNs = 2e6;
    c.transport.tlsHandshakeRtts = 1;
  };
  const two = transportOf("multifd", handshakes(2)).connectNs();
  const eight = transportOf("multifd", handshakes(8)).connectNs();
  assert.is(two, 2e6 + (1e6 + 2e6) + 1e6 + (1e6 + 2 * 2e6));
  assert.is(eight - two, 6 * 2e6);
  assert.is(transportOf("multifd").connectNs(), 3 * contextOf().network.rttNs);
});

multifd.run();
