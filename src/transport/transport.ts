// How migration data travels, as an ops table (QEMU's MultiFDMethods in spirit): the migration core
// hands a transport batches of pages and opaque bytes and gets back how long they take and which
// threads they kept busy. A new transport is a new table, not a new `if` in the core.

import type { HostConfig, NetworkConfig, Ns, TransportConfig, TransportName } from "../model.ts";
import type { ThreadCharge } from "./cpu.ts";

/** Pages of one batch, after zero-page detection by the caller's bookkeeping. */
export interface PageBatch {
  normalPages: number;
  zeroPages: number;
}

export interface TransferCost {
  /** Time until the batch is on the destination: the busiest thread or the link. */
  durationNs: Ns;
  /** Stream bytes counted in `transferred`. */
  wireBytes: number;
  charges: ThreadCharge[];
}

export interface TransportContext {
  host: HostConfig;
  network: NetworkConfig;
  pageSizeBytes: number;
  /** Every transport's parameters; each table reads its own. */
  transport: TransportConfig;
}

export interface Transport {
  readonly name: TransportName;
  /** TCP streams carrying pages: a migration's weight when several share the link (see shared-fabric.ts). */
  readonly streams: number;
  /** Opening the migration channel(s): connections and handshakes, before setup proper. */
  connectNs(): Ns;
  /** Scanning, sending and receiving a batch of pages at most `rateLimitBytesPerSec` (max-bandwidth). */
  sendPages(batch: PageBatch, rateLimitBytesPerSec: number): TransferCost;
  /** Sending opaque bytes (device state) on the main channel. */
  sendBytes(bytes: number, rateLimitBytesPerSec: number): TransferCost;
  /** One-way latency for the last byte to reach the destination. */
  latencyNs(): Ns;
  /** The migration stopped sending (it ended, or waits on a dead link); a shared link stops counting it. */
  idle?(): void;
}

export type TransportFactory = (ctx: TransportContext) => Transport;
