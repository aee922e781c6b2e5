// The network between the hosts, as a TCP stream sees it: line rate less Ethernet framing, TCP/IP headers
// and retransmitted packets, capped per stream by what its socket buffer keeps in flight per round trip
// and, when packets are lost, by TCP's congestion response. The NetworkConfig passed in is the link as it
// is now: network events (src/migration/link-faults.ts) change its rate and loss while a migration runs.

import type { NetworkConfig, Ns } from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";

/** √(3/2): the constant of Mathis et al.'s loss-limited TCP rate (periodic loss, delayed ACKs off). */
const MATHIS_C = Math.sqrt(3 / 2);
/** Linux's TCP_RTO_MIN: a lost tail segment waits at least this long for its retransmission. */
export const TCP_RTO_MIN_NS = 200 * NS_PER_MS;

/** Payload bytes per second the link carries for all its streams together at line rate. */
export function tcpGoodputBytesPerSec(net: NetworkConfig): number {
  const payload = net.mtuBytes - net.tcpIpHeaderBytes;
  const onWire = net.mtuBytes + net.frameOverheadBytes;
  // Every lost packet is sent again, so only (1 − p) of what crosses the link is new data.
  return ((net.bandwidthBytesPerSec * payload) / onWire) * (1 - net.packetLossRate);
}

/**
 * What one TCP stream can carry whatever the line rate: its socket buffer per round trip, and with a loss
 * rate p, MSS × C / (RTT × √p) (Mathis, Semke, Mahdavi and Ott, 1997). `lossRate` is the stream's own
 * when one stream's path loses more than the link (one multifd channel).
 */
export function windowRateBytesPerSec(net: NetworkConfig, lossRate = net.packetLossRate): number {
  if (net.rttNs <= 0) return Number.POSITIVE_INFINITY;
  const rttSec = net.rttNs / NS_PER_SEC;
  const window = net.socketBufferBytes / rttSec;
  if (lossRate <= 0) return window;
  const mss = net.mtuBytes - net.tcpIpHeaderBytes;
  return Math.min(window, (mss * MATHIS_C) / (rttSec * Math.sqrt(lossRate)));
}

/** What `streams` TCP streams can carry together: the link's goodput or their own caps, the lower. */
export function streamsCapBytesPerSec(net: NetworkConfig, streams = 1): number {
  return Math.min(tcpGoodputBytesPerSec(net), streams * windowRateBytesPerSec(net));
}

/** One stream's rate: goodput, its own cap, and QEMU's max-bandwidth, whichever is lowest. */
export function streamRateBytesPerSec(net: NetworkConfig, maxBandwidthBytesPerSec: number): number {
  return Math.min(streamsCapBytesPerSec(net), maxBandwidthBytesPerSec);
}

/**
 * One-way time for a message's last byte: half a round trip, plus, with loss, the chance that its last
 * packet is lost times the retransmission timeout it then waits (a tail loss has no later packets to
 * trigger a fast retransmit).
 */
export function oneWayNs(net: NetworkConfig): Ns {
  return net.rttNs / 2 + net.packetLossRate * Math.max(TCP_RTO_MIN_NS, net.rttNs);
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
  return Math.max(
    wireNs(countedBytes, maxBandwidthBytesPerSec),
    wireNs(framedBytes, streamsCapBytesPerSec(net)),
  );
}
