// `rpc`: the tunnel of daemon-relay.ts, with the stream sent as RPC calls rather than stream messages,
// as the first secure-migration patches for libvirt did (2009). Each call's payload is XDR-encoded into the
// message on the source daemon and decoded out of it on the destination's: one more pass over every byte
// on each side. With `rpcWindow` W > 0 every call is answered, and the source daemon waits once W calls are
// unanswered: a call is answered no sooner than its source work, its time on the wire, the destination's
// work and a round trip, so W calls take at least that long together, and throughput is at most
// W × message / (RTT + per-message work) — stop-and-wait (W = 1) pays a round trip per message. With W = 0
// (fire-and-forget) nothing is awaited and the calls flow like a stream. The waiting burns no CPU.

import type { Ns } from "../model.ts";
import { daemonRelayFaults } from "./breakage.ts";
import { relay, relayCharges } from "./daemon-relay.ts";
import { oneWayNs, singleStreamNs, streamsCapBytesPerSec, wireNs } from "./link.ts";
import { singleStreamOps } from "./page-work.ts";
import { pipelineCost } from "./pipeline.ts";
import { handshakeNs } from "./tls-record.ts";
import type { TransferCost, Transport, TransportContext } from "./transport.ts";

export function rpcTransport(ctx: TransportContext): Transport {
  const { host, network, pageSizeBytes, transport: t } = ctx;
  const window = t.rpcWindow;
  const options = { passes: 2, replies: window > 0 };
  const pipeline = (sourceNs: Ns, destinationNs: Ns, bytes: number, limit: number): TransferCost => {
    const streamCap = streamsCapBytesPerSec(network);
    const r = relay(bytes, t, options);
    const bounds = [singleStreamNs(network, bytes, r.framedBytes, limit)];
    if (window > 0) {
      const perCallChainNs =
        r.sourceDaemonNs +
        wireNs(r.framedBytes, streamCap) +
        r.destinationDaemonNs +
        r.messages * network.rttNs;
      bounds.push(perCallChainNs / window);
    }
    return pipelineCost(relayCharges(sourceNs, destinationNs, r), bounds, bytes, host.cores);
  };

  return {
    name: "rpc",
    streams: 1,
    // As tunnelled: the daemons' connection, TLS when on, and the Prepare call.
    connectNs: () => 2 * network.rttNs + (t.daemonTls ? handshakeNs(t, network.rttNs) : 0),
    // The migration is over when the last call is answered; fire-and-forget only waits for the last byte.
    latencyNs: () => oneWayNs(network) + (window > 0 ? network.rttNs / 2 : 0),
    ...singleStreamOps(host, pageSizeBytes, pipeline),
    ...daemonRelayFaults(network, t),
  };
}
