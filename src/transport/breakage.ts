// What each transport's source sees when the network breaks and when it is told to cancel: the other
// side of the transport trade. QEMU writing into its own TCP stream learns of a dead link only when the
// kernel gives up retransmitting (tcp-timeout, ~15 minutes by default), and a cancel waits for what its
// socket already holds to drain, or, with the link down, for that same timeout. A management daemon
// relaying the stream probes its peer (libvirt's keepalive) and can abort its own stream at once.
//
// Cancel as modelled here is the behaviour users long complained of (migrate_cancel blocking on the
// socket); QEMU since 2.x shuts the socket down on cancel (qemu_file_shutdown), which returns at once.

import type { NetworkConfig, Ns, TransportConfig } from "../model.ts";
import { streamsCapBytesPerSec, wireNs } from "./link.ts";
import type { Breakage, Transport } from "./transport.ts";

type FaultOps = Pick<Transport, "breakage" | "cancelNs">;

const TIMED_OUT = "Unable to write to socket: Connection timed out";
const RESET = "Unable to write to socket: Connection reset by peer";

export interface DirectStreams {
  /** The layer QEMU's stream runs over ("TCP", "TLS over TCP"). */
  layer: string;
  /** Streams, each with its own socket buffer to drain. */
  streams: number;
  /** How to name the stream that broke, or every stream when the whole link broke. */
  channelName: (channel: number | null) => string;
}

/** QEMU's own socket(s) to the destination QEMU: plain, tls, multifd. */
export function directStreamFaults(network: NetworkConfig, d: DirectStreams): FaultOps {
  return {
    breakage: (kind, channel): Breakage => ({
      // A reset is reported by the very next write, and the migration thread is always writing.
      detectNs: kind === "reset" ? 0 : network.tcpTimeoutNs,
      host: "source",
      channel: d.channelName(channel),
      layer: `QEMU's socket, ${d.layer}`,
      message: kind === "reset" ? RESET : TIMED_OUT,
    }),
    cancelNs: (rate, downForNs) => {
      if (downForNs !== null) return Math.max(0, network.tcpTimeoutNs - downForNs);
      // The socket buffers are full when the link binds and fill in proportion when something else does;
      // they drain at what the link gives all the streams together.
      const drainRate = streamsCapBytesPerSec(network, d.streams);
      const fill = Math.min(1, rate / drainRate);
      return wireNs(d.streams * network.socketBufferBytes * fill, drainRate);
    },
  };
}

/** libvirt's tunnel: the daemons' own connection, with keepalive, and a stream the daemon can abort. */
export function daemonRelayFaults(network: NetworkConfig, t: TransportConfig): FaultOps {
  const keepaliveNs: Ns = t.daemonKeepaliveIntervalNs * (t.daemonKeepaliveCount + 1);
  return {
    breakage: (kind): Breakage => ({
      detectNs: kind === "reset" ? 0 : Math.min(keepaliveNs, network.tcpTimeoutNs),
      host: "source",
      channel: "the daemons' connection",
      layer: t.daemonTls ? "libvirtd's RPC connection, TLS over TCP" : "libvirtd's RPC connection, TCP",
      message:
        kind === "reset"
          ? "Cannot recv data: Connection reset by peer"
          : keepaliveNs <= network.tcpTimeoutNs
            ? "internal error: connection closed due to keepalive timeout"
            : TIMED_OUT,
    }),
    // The source daemon aborts the stream it relays and closes QEMU's local socket; QEMU's next write
    // fails at once, whatever the network is doing.
    cancelNs: () => t.daemonMessageNs,
  };
}
