// The management daemon's relay (libvirtd's tunnelled migration, VIR_MIGRATE_TUNNELLED): QEMU writes its
// stream into a local socket; one daemon thread on the source reads it, cuts it into RPC messages of
// `rpcMessageBytes` with a header each, optionally encrypts them, and writes them to the daemons' own
// connection; the destination daemon's thread reads, decrypts, strips the headers and writes the stream
// into the destination QEMU's socket. Each daemon thread moves every byte from one socket to another
// (`daemonCopyBytesPerSec` covers the read and the write) and pays a fixed cost per message. There is one
// such thread per host, whatever the number of migrations through it, so it is charged as `libvirtd` on
// each host (the destination's shows as `libvirtd@destination` in results).
//
// `tunnelled` and `rpc` both run over this relay; they differ in what the daemons do per message.

import type { Ns, TransportConfig } from "../model.ts";
import type { ThreadCharge } from "./cpu.ts";
import { copyNs } from "./page-work.ts";
import { decryptNs, encryptNs, tlsFramedBytes } from "./tls-record.ts";

export const DAEMON_THREAD = "libvirtd";

export interface RelayOptions {
  /** Passes over the payload on each daemon: 1 for a raw stream, 2 when it is XDR-encoded into calls. */
  passes: number;
  /** Each message is answered by a reply: one more message of work on each daemon. */
  replies: boolean;
}

export interface Relay {
  /** RPC messages (fractional, so costs stay linear in bytes). */
  messages: number;
  /** Bytes on the daemons' connection: payload, RPC headers and, with TLS, record overhead. */
  framedBytes: number;
  sourceDaemonNs: Ns;
  destinationDaemonNs: Ns;
}

export function relay(bytes: number, t: TransportConfig, options: RelayOptions): Relay {
  const messages = bytes / t.rpcMessageBytes;
  const rpcBytes = bytes + messages * t.rpcHeaderBytes;
  const perSideNs =
    options.passes * copyNs(bytes, t.daemonCopyBytesPerSec) +
    messages * t.daemonMessageNs * (options.replies ? 2 : 1);
  return {
    messages,
    framedBytes: t.daemonTls ? tlsFramedBytes(rpcBytes, t) : rpcBytes,
    sourceDaemonNs: perSideNs + (t.daemonTls ? encryptNs(rpcBytes, t) : 0),
    destinationDaemonNs: perSideNs + (t.daemonTls ? decryptNs(rpcBytes, t) : 0),
  };
}

/** The four threads of a relayed batch: QEMU and the daemon on each host. */
export function relayCharges(qemuSourceNs: Ns, qemuDestinationNs: Ns, r: Relay): ThreadCharge[] {
  return [
    { host: "source", thread: "migration", busyNs: qemuSourceNs },
    { host: "source", thread: DAEMON_THREAD, busyNs: r.sourceDaemonNs },
    { host: "destination", thread: DAEMON_THREAD, busyNs: r.destinationDaemonNs },
    { host: "destination", thread: "receive", busyNs: qemuDestinationNs },
  ];
}
