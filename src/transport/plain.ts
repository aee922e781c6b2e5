// `plain`: one TCP stream from QEMU to QEMU. The migration thread reads each page (a zero page whole,
// a data page only until its first non-zero bytes), writes data pages into the socket, and blocks when
// the socket is full; the destination's incoming thread copies pages into guest RAM. The three run as a
// pipeline, so a batch takes as long as the busiest of them or the link.

import type { Ns } from "../model.ts";
import { directStreamFaults } from "./breakage.ts";
import { oneWayNs, singleStreamNs } from "./link.ts";
import { singleStreamOps } from "./page-work.ts";
import { pipelineCost } from "./pipeline.ts";
import type { TransferCost, Transport, TransportContext } from "./transport.ts";

export function plainTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes } = ctx;

  const pipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number): TransferCost =>
    pipelineCost(
      [
        { host: "source", thread: "migration", busyNs: sourceNs },
        { host: "destination", thread: "receive", busyNs: destinationNs },
      ],
      [singleStreamNs(network, bytes, bytes, limit)],
      bytes,
      host.cores,
    );

  return {
    name: "plain",
    streams: 1,
    // TCP handshake plus QEMU's header and capability exchange: about two round trips.
    connectNs: () => 2 * network.rttNs,
    latencyNs: () => oneWayNs(network),
    ...singleStreamOps(host, pageSizeBytes, pipeline),
    ...directStreamFaults(network, { layer: "TCP", streams: 1, channelName: () => "the migration stream" }),
  };
}
