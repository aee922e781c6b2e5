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

/** One stream's rate: goodput, the window per RTT, and QEMU's max-bandwidth, whichever is lowest. */
export function streamRateBytesPerSec(net: NetworkConfig, maxBandwidthBytesPerSec: number): number {
  const windowRate =
    net.rttNs > 0 ? (net.socketBufferBytes * NS_PER_SEC) / net.rttNs : Number.POSITIVE_INFINITY;
  return Math.min(tcpGoodputBytesPerSec(net), windowRate, maxBandwidthBytesPerSec);
}

/** Time for `bytes` to cross the link at `rate`. */
export function wireNs(bytes: number, rateBytesPerSec: number): Ns {
  return (bytes / rateBytesPerSec) * NS_PER_SEC;
}
