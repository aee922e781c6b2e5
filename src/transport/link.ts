// The network between the hosts, as a TCP stream sees it: line rate less Ethernet framing and TCP/IP
// headers, capped by what one stream's socket buffer can keep in flight per round trip.

import type { NetworkConfig, Ns } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";

/** Payload bytes per second one TCP stream can carry at line rate (no window limit). */
export function tcpGoodputBytesPerSec(net: NetworkConfig): number {
  const payload = net.mtuBytes - net.tcpIpHeaderBytes;
  const onWire = net.mtuBytes + net.frameOverheadBytes;
  return (net.bandwidthBytesPerSec * payload) / onWire;
}

/** What one stream's socket buffer keeps in flight per round trip. */
export function windowRateBytesPerSec(net: NetworkConfig): number {
  return net.rttNs > 0 ? (net.socketBufferBytes * NS_PER_SEC) / net.rttNs : Number.POSITIVE_INFINITY;
}

/** One stream's rate: goodput, the window per RTT, and QEMU's max-bandwidth, whichever is lowest. */
export function streamRateBytesPerSec(net: NetworkConfig, maxBandwidthBytesPerSec: number): number {
  return Math.min(tcpGoodputBytesPerSec(net), windowRateBytesPerSec(net), maxBandwidthBytesPerSec);
}

/** Time for `bytes` to cross the link at `rate`. */
export function wireNs(bytes: number, rateBytesPerSec: number): Ns {
  return (bytes / rateBytesPerSec) * NS_PER_SEC;
}

/**
 * One TCP stream carrying QEMU's `countedBytes` (what max-bandwidth limits and `transferred` counts) as
 * `framedBytes` on the wire (TLS records, RPC headers added by the transport; equal for plain).
 */
export function singleStreamNs(
  net: NetworkConfig,
  countedBytes: number,
  framedBytes: number,
  maxBandwidthBytesPerSec: number,
): Ns {
  const streamCap = Math.min(tcpGoodputBytesPerSec(net), windowRateBytesPerSec(net));
  return Math.max(wireNs(countedBytes, maxBandwidthBytesPerSec), wireNs(framedBytes, streamCap));
}
