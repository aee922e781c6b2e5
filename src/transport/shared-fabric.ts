// Several guests migrating at once between the same two hosts: their streams share the link, the hosts'
// cores and, when tunnelled, the one daemon thread per host. Each migration still computes what a batch
// would take alone (its own threads, its own stream); the fabric then gives every active migration its
// share of the shared resources by weighted max-min fairness, as SimGrid's LMM solver does for flows:
// rates rise together, in proportion to each migration's number of TCP streams (TCP shares a bottleneck per
// stream, so 8 multifd channels take 8 shares against one plain stream), until a shared resource is full or
// a migration reaches what it could do alone. A batch then takes its bytes over its allotted rate.
//
// The allocation is solved again for every batch, from every migration's most recent demand, so a
// migration that finishes or stalls frees its share from its next batch on: a fluid model at the grain of
// the simulation step (`max-step`), not per packet. Framing bytes (TLS records, RPC headers) are left out
// of the link's share: they are a few percent, and each migration's own cost already counts them.

import type { NetworkConfig } from "../model.ts";
import { NS_PER_SEC } from "../model.ts";
import type { HostSide } from "./cpu.ts";
import { DAEMON_THREAD } from "./daemon-relay.ts";
import { tcpGoodputBytesPerSec } from "./link.ts";
import type { TransferCost, Transport } from "./transport.ts";

/** Threads one host runs for every migration together, rather than one per migration. */
export const SHARED_THREADS: ReadonlySet<string> = new Set([DAEMON_THREAD]);

/** What a migration asks of the shared resources while it sends, per byte of its stream. */
interface Demand {
  /** Bytes per ns it would move alone. */
  maxRate: number;
  /** TCP streams: its weight in every share. */
  weight: number;
  /** Resource name → work per byte (link bytes, or busy ns of a shared thread or of a host's cores). */
  perByte: Map<string, number>;
}

export class SharedFabric {
  private readonly capacity = new Map<string, number>();
  /** Indexed by flow; null while the flow is not sending. */
  private readonly demands: (Demand | null)[] = [];

  /** `network`: the link as it is now (events change its rate and loss), shared by every guest. */
  constructor(
    private readonly network: NetworkConfig,
    cores: number,
  ) {
    for (const host of ["source", "destination"] satisfies HostSide[]) {
      this.capacity.set(`${host}/cores`, cores);
      for (const thread of SHARED_THREADS) this.capacity.set(`${host}/${thread}`, 1);
    }
  }

  /** A migration's transport, its batches slowed to their share of what it shares with the others. */
  attach(inner: Transport): Transport {
    const flow = this.demands.push(null) - 1;
    const share = (cost: TransferCost): TransferCost => {
      if (cost.wireBytes <= 0 || cost.durationNs <= 0) return cost;
      this.demands[flow] = this.demandOf(cost, inner.streams);
      const rate = this.allocate()[flow]!;
      return { ...cost, durationNs: Math.max(cost.durationNs, cost.wireBytes / rate) };
    };
    return {
      name: inner.name,
      streams: inner.streams,
      connectNs: () => inner.connectNs(),
      latencyNs: () => inner.latencyNs(),
      breakage: (kind, channel) => inner.breakage(kind, channel),
      cancelNs: (rate, downForNs) => inner.cancelNs(rate, downForNs),
      sendPages: (batch, limit) => share(inner.sendPages(batch, limit)),
      sendBytes: (bytes, limit) => share(inner.sendBytes(bytes, limit)),
      idle: () => {
        this.demands[flow] = null;
      },
    };
  }

  private demandOf(cost: TransferCost, weight: number): Demand {
    const perByte = new Map<string, number>([["link", 1]]);
    const add = (resource: string, ns: number) =>
      perByte.set(resource, (perByte.get(resource) ?? 0) + ns / cost.wireBytes);
    for (const c of cost.charges) {
      add(`${c.host}/cores`, c.busyNs);
      if (SHARED_THREADS.has(c.thread)) add(`${c.host}/${c.thread}`, c.busyNs);
    }
    return { maxRate: cost.wireBytes / cost.durationNs, weight, perByte };
  }

  /** Weighted max-min fair rates (bytes per ns) of the sending flows, by progressive filling. */
  private allocate(): number[] {
    const rate = this.demands.map(() => 0);
    this.capacity.set("link", tcpGoodputBytesPerSec(this.network) / NS_PER_SEC);
    const left = new Map(this.capacity);
    let rising = this.demands.flatMap((d, flow) => (d === null ? [] : [flow]));
    while (rising.length > 0) {
      // How far the fair share θ can rise before a flow reaches its own limit or a resource fills.
      let step = Number.POSITIVE_INFINITY;
      for (const flow of rising) {
        const d = this.demands[flow]!;
        step = Math.min(step, (d.maxRate - rate[flow]!) / d.weight);
      }
      const load = new Map<string, number>();
      for (const flow of rising) {
        const d = this.demands[flow]!;
        for (const [r, perByte] of d.perByte) load.set(r, (load.get(r) ?? 0) + perByte * d.weight);
      }
      for (const [r, perShare] of load) if (perShare > 0) step = Math.min(step, left.get(r)! / perShare);
      for (const flow of rising) rate[flow]! += step * this.demands[flow]!.weight;
      for (const [r, perShare] of load) left.set(r, left.get(r)! - step * perShare);
      const full = new Set([...load.keys()].filter((r) => left.get(r)! <= 1e-12 * this.capacity.get(r)!));
      const before = rising.length;
      rising = rising.filter((flow) => {
        const d = this.demands[flow]!;
        if (rate[flow]! >= d.maxRate * (1 - 1e-12)) return false;
        for (const r of d.perByte.keys()) if (full.has(r)) return false;
        return true;
      });
      // Rounding can leave a resource a hair short of full; nothing more can rise by then.
      if (rising.length === before) break;
    }
    return rate;
  }
}
