// `tls`: QEMU's stream through TLS (`tls-creds`), still one TCP stream. The cipher runs in line with the
// stream, on the thread that writes it: the migration thread encrypts every byte it sends and the
// destination's incoming thread decrypts every byte it reads, so one core's cipher rate can be the
// bottleneck below the link rate (DESIGN §1: ~300 MB/s of TLS under a 500 MB/s link). Records add a header
// and tag per 16 KiB on the wire (not in `transferred`, which QEMU counts before TLS), and the handshake
// adds its round trips and key-exchange CPU to opening the channel.

import type { Ns } from "../model.ts";
import { directStreamFaults } from "./breakage.ts";
import { oneWayNs, singleStreamNs } from "./link.ts";
import { singleStreamOps } from "./page-work.ts";
import { pipelineCost } from "./pipeline.ts";
import { decryptNs, encryptNs, handshakeNs, tlsFramedBytes } from "./tls-record.ts";
import type { TransferCost, Transport, TransportContext } from "./transport.ts";

export function tlsTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes, transport: t } = ctx;

  /** `sourceNs`/`destinationNs`: the stream's own work, to which the cipher adds. */
  const pipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number): TransferCost =>
    pipelineCost(
      [
        { host: "source", thread: "migration", busyNs: sourceNs + encryptNs(bytes, t) },
        { host: "destination", thread: "receive", busyNs: destinationNs + decryptNs(bytes, t) },
      ],
      [singleStreamNs(network, bytes, tlsFramedBytes(bytes, t), limit)],
      bytes,
      host.cores,
    );

  return {
    name: "tls",
    streams: 1,
    // TCP and QEMU's header exchange as for plain, then the TLS handshake on the connected socket.
    connectNs: () => 2 * network.rttNs + handshakeNs(t, network.rttNs),
    latencyNs: () => oneWayNs(network),
    ...singleStreamOps(host, pageSizeBytes, pipeline),
    ...directStreamFaults(network, {
      layer: "TLS over TCP",
      streams: 1,
      channelName: () => "the migration stream",
    }),
  };
}
