// `plain`: one TCP stream from QEMU to QEMU. The migration thread reads each page (a zero page whole,
// a data page only until its first non-zero bytes), writes data pages into the socket, and blocks when
// the socket is full; the destination's incoming thread copies pages into guest RAM. The three run as a
// pipeline, so a batch takes as long as the busiest of them or the link.

import { ramStreamBytes } from "../migration/stream-format.ts";
import type { Ns } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";
import { streamRateBytesPerSec, wireNs } from "./link.ts";
import type { PageBatch, TransferCost, Transport, TransportContext } from "./transport.ts";

export function plainTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes } = ctx;
  const pageCopyNs = (rate: number) => (pageSizeBytes / rate) * NS_PER_SEC;
  const sendPageNs = host.dataPageScanNs + pageCopyNs(host.sendCopyBytesPerSec);
  const receivePageNs = pageCopyNs(host.receiveCopyBytesPerSec);

  const pipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number): TransferCost => {
    const linkNs = wireNs(bytes, streamRateBytesPerSec(network, limit));
    return {
      durationNs: Math.max(sourceNs, linkNs, destinationNs),
      wireBytes: bytes,
      charges: [
        { host: "source", thread: "migration", busyNs: sourceNs },
        { host: "destination", thread: "receive", busyNs: destinationNs },
      ],
    };
  };

  return {
    name: "plain",
    // TCP handshake plus QEMU's header and capability exchange: about two round trips.
    connectNs: () => 2 * network.rttNs,
    latencyNs: () => network.rttNs / 2,
    sendPages(batch: PageBatch, limit: number): TransferCost {
      const pages = batch.normalPages + batch.zeroPages;
      const sourceNs =
        pages * host.pageOverheadNs + batch.zeroPages * host.zeroPageScanNs + batch.normalPages * sendPageNs;
      const destinationNs = batch.normalPages * receivePageNs + batch.zeroPages * host.receiveZeroPageNs;
      return pipeline(
        sourceNs,
        destinationNs,
        ramStreamBytes(batch.normalPages, batch.zeroPages, pageSizeBytes),
        limit,
      );
    },
    sendBytes(bytes: number, limit: number): TransferCost {
      const copyNs = (bytes / host.sendCopyBytesPerSec) * NS_PER_SEC;
      return pipeline(copyNs, (bytes / host.receiveCopyBytesPerSec) * NS_PER_SEC, bytes, limit);
    },
  };
}
