// `multifd-compression` (QEMU's multifd-zlib.c, multifd-zstd.c): each channel thread compresses the data
// pages of its packet before sending and each receive thread decompresses into guest RAM. Zero pages are
// found first and never compressed (zero-page-detection=multifd). Rates are per core, in uncompressed
// bytes; the ratio is what the guest's data allows, not a property of the algorithm alone.

import type { MultifdCompression, Ns } from "../model.ts";
import { copyNs } from "./page-work.ts";

/** Bytes a data page takes in the packet after compression. */
export function compressedPageBytes(pageSizeBytes: number, c: MultifdCompression): number {
  return c.method === "none" ? pageSizeBytes : pageSizeBytes / c.ratio;
}

/** Channel thread: compressing `normalPages` data pages. */
export function compressNs(normalPages: number, pageSizeBytes: number, c: MultifdCompression): Ns {
  return c.method === "none" ? 0 : copyNs(normalPages * pageSizeBytes, c.compressBytesPerSec);
}

/** Receive thread: decompressing `normalPages` data pages into guest RAM. */
export function decompressNs(normalPages: number, pageSizeBytes: number, c: MultifdCompression): Ns {
  return c.method === "none" ? 0 : copyNs(normalPages * pageSizeBytes, c.decompressBytesPerSec);
}
