// How migration data travels, as an ops table (QEMU's MultiFDMethods in spirit): the migration core
// hands a transport batches of pages and opaque bytes and gets back how long they take and which
// threads they kept busy. A new transport is a new table, not a new `if` in the core.

import type { HostConfig, NetworkConfig, Ns, TransportConfig, TransportName } from "../model.ts";
import type { ChannelStates } from "./channels.ts";
import type { HostSide, ThreadCharge } from "./cpu.ts";

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
  /** The link as it is now: network events change it while the migration runs. */
  network: NetworkConfig;
  /** Faults of single channels (multifd). */
  channels: ChannelStates;
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
  /**
   * How the source learns that the link, or one channel, broke: `timeout` when packets stop getting
   * through, `reset` when the connection is reset. Null channel: the whole link.
   */
  breakage(kind: "timeout" | "reset", channel: number | null): Breakage;
  /**
   * From migrate_cancel until the migration is `cancelled`, given the stream's recent rate, and, while
   * the link is down, how long it has been (null: the link is up).
   */
  cancelNs(rateBytesPerSec: number, downForNs: Ns | null): Ns;
  /** The migration stopped sending (it ended, or waits on a dead link); a shared link stops counting it. */
  idle?(): void;
}

/** A broken connection as the source sees it, in the words QEMU or libvirt would use. */
export interface Breakage {
  /** From the fault until the source knows. */
  detectNs: Ns;
  host: HostSide;
  /** Which stream: the migration stream, a multifd channel, the daemons' connection. */
  channel: string;
  /** Which layer of the transport noticed (QEMU's socket, TLS, libvirt's RPC keepalive). */
  layer: string;
  /** The error as QEMU or libvirt reports it. */
  message: string;
}

export type TransportFactory = (ctx: TransportContext) => Transport;
