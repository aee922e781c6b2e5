// `multifd` (QEMU's migration/multifd.c): `multifd-channels` TCP streams besides the main one, each with
// a send thread on the source and a receive thread on the destination. The migration thread only walks the
// bitmap, queues each dirty page into a packet of MULTIFD_PACKET_SIZE, and hands full packets to idle
// channels in turn; the channel threads do the rest: zero-page detection, compression, TLS and the
// socket copies. Every channel is its own TCP stream (its own window per RTT), and all of them share the
// link; max-bandwidth limits their sum. The main channel carries only device state and sync markers.
//
// Packets are dealt round-robin, so over a step of many packets each channel does an equal share; a step
// of fewer packets than channels keeps only that many channels busy, so its time is one channel's share of
// it. Busy time is charged evenly to all channels either way, as the deal rotates over a migration.

import type { Ns } from "../model.ts";
import { directStreamFaults } from "./breakage.ts";
import { compressedPageBytes, compressNs, decompressNs } from "./compression.ts";
import type { ThreadCharge } from "./cpu.ts";
import { oneWayNs, singleStreamNs, tcpGoodputBytesPerSec, windowRateBytesPerSec, wireNs } from "./link.ts";
import { copyNs } from "./page-work.ts";
import { pipelineCost } from "./pipeline.ts";
import { decryptNs, encryptNs, handshakeNs, tlsFramedBytes } from "./tls-record.ts";
import type { PageBatch, TransferCost, Transport, TransportContext } from "./transport.ts";

/** MultiFDPacket_t without its offsets: magic, version, flags, counts, packet number, reserved, ramblock. */
export const MULTIFD_PACKET_HEADER_BYTES = 320;
/** Each page, data or zero, is named by a 64-bit offset in its packet's header. */
export const MULTIFD_OFFSET_BYTES = 8;

export function multifdTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes, transport: t, channels: faults } = ctx;
  const channels = t.multifdChannels;
  // QEMU sizes packets in target pages; a guest page larger than a packet goes one to a packet.
  const packetPages = Math.max(1, Math.floor(t.multifdPacketBytes / pageSizeBytes));
  const send = Array.from({ length: channels }, (_, i) => `multifd-send-${i}`);
  const recv = Array.from({ length: channels }, (_, i) => `multifd-recv-${i}`);
  const cipher = (bytes: number, ns: (b: number) => Ns) => (t.multifdTls ? ns(bytes) : 0);
  const layer = t.multifdTls ? "TLS over TCP" : "TCP";

  /** Main channel, for opaque bytes: one stream like `plain`, through TLS when the channels use it. */
  const mainChannel = (bytes: number, limit: number): TransferCost => {
    const framed = t.multifdTls ? tlsFramedBytes(bytes, t) : bytes;
    return pipelineCost(
      [
        {
          host: "source",
          thread: "migration",
          busyNs: copyNs(bytes, host.sendCopyBytesPerSec) + cipher(bytes, (b) => encryptNs(b, t)),
        },
        {
          host: "destination",
          thread: "receive",
          busyNs: copyNs(bytes, host.receiveCopyBytesPerSec) + cipher(bytes, (b) => decryptNs(b, t)),
        },
      ],
      [singleStreamNs(network, bytes, framed, limit)],
      bytes,
      host.cores,
    );
  };

  return {
    name: "multifd",
    streams: channels,
    // The main channel as for plain (and its TLS handshake), then every channel connects at once (one
    // round trip) and shakes hands; the destination's main loop completes the channels' handshakes one
    // after another, so their CPU adds up while their round trips overlap.
    connectNs: () => {
      const tls = t.multifdTls;
      const main = 2 * network.rttNs + (tls ? handshakeNs(t, network.rttNs) : 0);
      const chans =
        network.rttNs + (tls ? t.tlsHandshakeRtts * network.rttNs + channels * t.tlsHandshakeNs : 0);
      return main + chans;
    },
    latencyNs: () => oneWayNs(network),
    sendPages(batch: PageBatch, limit: number): TransferCost {
      const { normalPages, zeroPages } = batch;
      const pages = normalPages + zeroPages;
      // Packets go to channels that take them; a dead channel holds its last packet and takes no more.
      const up = Array.from({ length: channels }, (_, i) => i).filter((i) => !faults.isDown(i));
      if (pages <= 0 || up.length === 0) return { durationNs: 0, wireBytes: 0, charges: [] };
      const c = t.multifdCompression;
      const packets = pages / packetPages;
      const payloadBytes = normalPages * compressedPageBytes(pageSizeBytes, c);
      const bytes = packets * MULTIFD_PACKET_HEADER_BYTES + pages * MULTIFD_OFFSET_BYTES + payloadBytes;
      const framed = t.multifdTls ? tlsFramedBytes(bytes, t) : bytes;

      const mainNs = pages * host.pageOverheadNs + packets * t.multifdHandoffNs;
      const sendNs =
        zeroPages * host.zeroPageScanNs +
        normalPages * host.dataPageScanNs +
        compressNs(normalPages, pageSizeBytes, c) +
        copyNs(bytes, host.sendCopyBytesPerSec) +
        cipher(bytes, (b) => encryptNs(b, t));
      const recvNs =
        zeroPages * host.receiveZeroPageNs +
        copyNs(bytes, host.receiveCopyBytesPerSec) +
        decompressNs(normalPages, pageSizeBytes, c) +
        cipher(bytes, (b) => decryptNs(b, t));

      const busy = up.slice(0, Math.ceil(packets));
      // A channel that takes its packets back faster gets the next ones: together the busy channels carry
      // what each one's stream can (a lossy channel's less), all of them within the link.
      const streamsRate = busy.reduce(
        (sum, i) => sum + windowRateBytesPerSec(network, faults.lossRate(i, network.packetLossRate)),
        0,
      );
      const charges: ThreadCharge[] = [{ host: "source", thread: "migration", busyNs: mainNs }];
      for (const i of up) charges.push({ host: "source", thread: send[i]!, busyNs: sendNs / up.length });
      for (const i of up) charges.push({ host: "destination", thread: recv[i]!, busyNs: recvNs / up.length });
      return pipelineCost(
        charges,
        [
          sendNs / busy.length,
          recvNs / busy.length,
          wireNs(bytes, limit),
          wireNs(framed, tcpGoodputBytesPerSec(network)),
          wireNs(framed, streamsRate),
        ],
        bytes,
        host.cores,
      );
    },
    sendBytes: mainChannel,
    ...directStreamFaults(network, {
      layer,
      streams: channels + 1,
      channelName: (channel) =>
        channel === null
          ? `the main channel and all ${channels} multifd channels`
          : `multifd channel ${channel}`,
    }),
  };
}
