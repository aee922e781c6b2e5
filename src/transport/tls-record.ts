// TLS as one endpoint pays for it, wherever it runs (QEMU's migration thread, a multifd channel, a
// daemon): the cipher at one core's rate, a record header and tag per 16 KiB of payload on the wire, and
// a handshake of a few round trips plus key-exchange CPU when a connection opens.

import type { Ns, TransportConfig } from "../model.ts";
import { copyNs } from "./page-work.ts";

/** TLS's largest record payload (2^14); a bulk stream fills its records. */
export const TLS_RECORD_PAYLOAD_BYTES = 16384;

/** Bytes on the wire for `bytes` of plaintext; fractional records, so costs stay linear in bytes. */
export function tlsFramedBytes(bytes: number, t: TransportConfig): number {
  return bytes + (bytes / TLS_RECORD_PAYLOAD_BYTES) * t.tlsRecordOverheadBytes;
}

export function encryptNs(bytes: number, t: TransportConfig): Ns {
  return copyNs(bytes, t.tlsEncryptBytesPerSec);
}

export function decryptNs(bytes: number, t: TransportConfig): Ns {
  return copyNs(bytes, t.tlsDecryptBytesPerSec);
}

/** Time to open one TLS session over a connected socket. */
export function handshakeNs(t: TransportConfig, rttNs: Ns): Ns {
  return t.tlsHandshakeRtts * rttNs + t.tlsHandshakeNs;
}
