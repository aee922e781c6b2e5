// Transport contexts for ops-table tests, from the same complete SimConfig the core tests use.

import type { SimConfig, TransportName } from "../../src/model.ts";
import { ChannelStates } from "../../src/transport/channels.ts";
import { TRANSPORTS } from "../../src/transport/index.ts";
import type { Transport, TransportContext } from "../../src/transport/transport.ts";
import { simConfig } from "../support/sim-config.ts";

export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as TransportName[];

/** A context whose host has no per-page costs at all, so a test can make one stage the bottleneck. */
export function freeHost(c: SimConfig): void {
  Object.assign(c.host, {
    zeroPageScanNs: 0,
    dataPageScanNs: 0,
    pageOverheadNs: 0,
    // Infinite copy rates make copying cost exactly 0 ns, so closed forms hold to rounding.
    sendCopyBytesPerSec: Number.POSITIVE_INFINITY,
    receiveCopyBytesPerSec: Number.POSITIVE_INFINITY,
    receiveZeroPageNs: 0,
  });
}

export function contextOf(patch?: (c: SimConfig) => void): TransportContext {
  const c = simConfig({ patch });
  return {
    host: c.host,
    network: c.network,
    pageSizeBytes: c.guest.pageSizeBytes,
    transport: c.transport,
    channels: new ChannelStates(),
  };
}

export function transportOf(name: TransportName, patch?: (c: SimConfig) => void): Transport {
  return TRANSPORTS[name](contextOf(patch));
}

/** Relative difference, for "within x%" checks. */
export function relErr(model: number, expected: number): number {
  return Math.abs(model - expected) / expected;
}
