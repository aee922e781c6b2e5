// Host CPU accounting: every stage of the model charges busy time to a named thread on the source or
// the destination host. Idle % is what is left of cores × elapsed time.

import type { Ns } from "../model.ts";

export type HostSide = "source" | "destination";

export interface ThreadCharge {
  host: HostSide;
  thread: string;
  busyNs: Ns;
}

export class CpuAccount {
  /** Keyed by host and thread: the same name on both hosts (vCPUs after a postcopy switch) is two threads. */
  private readonly busy = new Map<string, { host: HostSide; thread: string; ns: Ns }>();
  private readonly hostBusy: Record<HostSide, Ns> = { source: 0, destination: 0 };

  /** `forward` also receives every charge: an account of the same hosts for all guests of a run. */
  constructor(
    readonly cores: number,
    private readonly forward: ((c: ThreadCharge) => void) | null = null,
  ) {}

  charge(c: ThreadCharge): void {
    if (c.busyNs <= 0) return;
    this.forward?.(c);
    const key = `${c.host}\u0000${c.thread}`;
    const entry = this.busy.get(key) ?? { host: c.host, thread: c.thread, ns: 0 };
    entry.ns += c.busyNs;
    this.busy.set(key, entry);
    this.hostBusy[c.host] += c.busyNs;
  }

  busyNs(host: HostSide): Ns {
    return this.hostBusy[host];
  }

  /** Percent of all cores idle over `elapsedNs`. */
  idlePercent(host: HostSide, elapsedNs: Ns): number {
    if (elapsedNs <= 0) return 100;
    return Math.max(0, 100 * (1 - this.hostBusy[host] / (this.cores * elapsedNs)));
  }

  /**
   * Busy time per thread, in the order threads first ran. Thread names are unique across hosts by
   * convention (`migration` and `receive`, `multifd-send-0` and `multifd-recv-0`, ...); a name that runs on
   * both hosts is reported as `name` for the host it ran on first and `name@host` for the other, so no
   * thread's time is merged into another host's.
   */
  threads(): [string, Ns][] {
    const firstHost = new Map<string, HostSide>();
    return [...this.busy.values()].map((e) => {
      const first = firstHost.get(e.thread);
      if (first === undefined) firstHost.set(e.thread, e.host);
      return [first === undefined || first === e.host ? e.thread : `${e.thread}@${e.host}`, e.ns];
    });
  }

  /** Busy time per thread of one host, in the order threads first ran. */
  hostThreads(host: HostSide): [string, Ns][] {
    return [...this.busy.values()].filter((e) => e.host === host).map((e) => [e.thread, e.ns]);
  }
}
