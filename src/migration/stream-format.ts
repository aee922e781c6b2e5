// Bytes QEMU's RAM stream puts on the wire per page (migration/ram.c, save_page_header): an 8-byte
// offset|flags word per page; a zero page adds one fill byte (RAM_SAVE_FLAG_ZERO); a normal page adds
// its contents (RAM_SAVE_FLAG_PAGE). `transferred` counts these bytes, not TCP/IP framing.

export const PAGE_HEADER_BYTES = 8;
export const ZERO_PAGE_BYTES = PAGE_HEADER_BYTES + 1;

export function normalPageBytes(pageSizeBytes: number): number {
  return PAGE_HEADER_BYTES + pageSizeBytes;
}

/** Stream bytes for a batch of pages. */
export function ramStreamBytes(normalPages: number, zeroPages: number, pageSizeBytes: number): number {
  return normalPages * normalPageBytes(pageSizeBytes) + zeroPages * ZERO_PAGE_BYTES;
}
