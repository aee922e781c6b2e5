// The CPU work of QEMU's RAM stream per page, on each side, before any transport adds its own: the
// source reads each page (a zero page whole, a data page only until its first non-zero bytes), does its
// per-page bookkeeping and copies data pages into the socket; the destination copies pages into guest RAM
// and maps zero pages. Every single-stream transport runs this on `migration` and `receive`.

import type { HostConfig, Ns } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";
import type { PageBatch } from "./transport.ts";

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
