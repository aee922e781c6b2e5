// The CPU work of QEMU's RAM stream per page, on each side, before any transport adds its own: the
// source reads each page (a zero page whole, a data page only until its first non-zero bytes), does its
// per-page bookkeeping and copies data pages into the socket; the destination copies pages into guest RAM
// and maps zero pages. Every single-stream transport runs this on `migration` and `receive`.

import { ramStreamBytes } from "../migration/stream-format.ts";
import type { HostConfig, Ns } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";
import type { PageBatch, TransferCost, Transport } from "./transport.ts";

export function copyNs(bytes: number, rateBytesPerSec: number): Ns {
  return (bytes / rateBytesPerSec) * NS_PER_SEC;
}

/** Source migration thread: bitmap walk and header per page, zero-page detection, copy into the socket. */
export function sendPagesNs(host: HostConfig, pageSizeBytes: number, batch: PageBatch): Ns {
  const pages = batch.normalPages + batch.zeroPages;
  const sendPageNs = host.dataPageScanNs + copyNs(pageSizeBytes, host.sendCopyBytesPerSec);
  return pages * host.pageOverheadNs + batch.zeroPages * host.zeroPageScanNs + batch.normalPages * sendPageNs;
}

/** Destination: copying data pages into guest RAM, mapping zero pages. */
export function receivePagesNs(host: HostConfig, pageSizeBytes: number, batch: PageBatch): Ns {
  return (
    batch.normalPages * copyNs(pageSizeBytes, host.receiveCopyBytesPerSec) +
    batch.zeroPages * host.receiveZeroPageNs
  );
}

/** How a single-stream transport times a batch: its own threads and link, given each side's work. */
export type StreamPipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number) => TransferCost;

/**
 * sendPages and sendBytes of a transport that carries QEMU's RAM stream on one connection (plain, tls,
 * tunnelled, rpc): QEMU's own work on each side is the same for all of them; only the pipeline differs.
 */
export function singleStreamOps(
  host: HostConfig,
  pageSizeBytes: number,
  pipeline: StreamPipeline,
): Pick<Transport, "sendPages" | "sendBytes"> {
  return {
    sendPages: (batch, limit) =>
      pipeline(
        sendPagesNs(host, pageSizeBytes, batch),
        receivePagesNs(host, pageSizeBytes, batch),
        ramStreamBytes(batch.normalPages, batch.zeroPages, pageSizeBytes),
        limit,
      ),
    sendBytes: (bytes, limit) =>
      pipeline(
        copyNs(bytes, host.sendCopyBytesPerSec),
        copyNs(bytes, host.receiveCopyBytesPerSec),
        bytes,
        limit,
      ),
  };
}
