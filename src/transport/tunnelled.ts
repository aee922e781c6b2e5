// `tunnelled`: QEMU → local daemon → remote daemon → QEMU (libvirt's VIR_MIGRATE_TUNNELLED). QEMU's own
// threads do what they do for `plain`, into and out of local sockets; the daemons relay the stream as RPC
// stream messages on their own connection, optionally TLS, one daemon thread per host doing the copies and
// the cipher (see daemon-relay.ts). Messages are not answered, so the stream flows like one TCP stream
// carrying payload plus headers; the extra copies and the single daemon thread are what cost.

import type { Ns } from "../model.ts";
import { daemonRelayFaults } from "./breakage.ts";
import { relay, relayCharges } from "./daemon-relay.ts";
import { oneWayNs, singleStreamNs } from "./link.ts";
import { singleStreamOps } from "./page-work.ts";
import { pipelineCost } from "./pipeline.ts";
import { handshakeNs } from "./tls-record.ts";
import type { TransferCost, Transport, TransportContext } from "./transport.ts";

const STREAM = { passes: 1, replies: false } as const;

export function tunnelledTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes, transport: t } = ctx;

  const pipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number): TransferCost => {
    const r = relay(bytes, t, STREAM);
    return pipelineCost(
      relayCharges(sourceNs, destinationNs, r),
      [singleStreamNs(network, bytes, r.framedBytes, limit)],
      bytes,
      host.cores,
    );
  };

  return {
    name: "tunnelled",
    streams: 1,
    // The daemons' connection (TCP, then TLS when on) and the Prepare call on the destination, one round
    // trip each; QEMU's connection to its local daemon costs no network time.
    connectNs: () => 2 * network.rttNs + (t.daemonTls ? handshakeNs(t, network.rttNs) : 0),
    latencyNs: () => oneWayNs(network),
    ...singleStreamOps(host, pageSizeBytes, pipeline),
    ...daemonRelayFaults(network, t),
  };
}
