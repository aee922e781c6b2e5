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
  private readonly busy = new Map<string, { host: HostSide; ns: Ns }>();
  private readonly hostBusy: Record<HostSide, Ns> = { source: 0, destination: 0 };

  constructor(readonly cores: number) {}

  charge(c: ThreadCharge): void {
    if (c.busyNs <= 0) return;
    const key = c.thread;
    const entry = this.busy.get(key) ?? { host: c.host, ns: 0 };
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

  /** Busy time per thread, in the order threads first ran. */
  threads(): [string, Ns][] {
    return [...this.busy.entries()].map(([name, e]) => [name, e.ns]);
  }
}
