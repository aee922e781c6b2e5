// Time series for reports: cumulative counters sampled at a fixed simulated interval. A long migration
// would make the series huge, so past MAX_SAMPLES every other sample is dropped and the interval
// doubles: bounded size, still evenly spaced, deterministic.

import type { Ns, TimelineSample } from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";

const MAX_SAMPLES = 2000;

export interface Counters {
  transferredBytes: number;
  remainingPages: number;
  sourceBusyNs: Ns;
}

export class Timeline {
  private readonly samples: { atNs: Ns; c: Counters }[] = [];
  private nextNs: Ns;

  constructor(
    private readonly startNs: Ns,
    private intervalNs: Ns,
    private readonly cores: number,
  ) {
    this.nextNs = startNs;
  }

  /** Records a sample for every interval boundary up to `nowNs` (counters as of now). */
  record(nowNs: Ns, c: Counters): void {
    while (this.nextNs <= nowNs) {
      this.samples.push({ atNs: this.nextNs, c: { ...c } });
      this.nextNs += this.intervalNs;
      if (this.samples.length > MAX_SAMPLES) this.decimate();
    }
  }

  /** Forces a final sample at the end of the migration. */
  finish(nowNs: Ns, c: Counters): TimelineSample[] {
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || last.atNs < nowNs) this.samples.push({ atNs: nowNs, c: { ...c } });
    return this.samples.map((s, i) => {
      const prev = this.samples[i - 1];
      const dt = prev === undefined ? 0 : s.atNs - prev.atNs;
      const bytes = prev === undefined ? 0 : s.c.transferredBytes - prev.c.transferredBytes;
      const busy = prev === undefined ? 0 : s.c.sourceBusyNs - prev.c.sourceBusyNs;
      return {
        "time-ms": round3((s.atNs - this.startNs) / NS_PER_MS),
        transferred: s.c.transferredBytes,
        remaining: s.c.remainingPages,
        mbps: dt > 0 ? round3((bytes * 8 * NS_PER_SEC) / dt / 1e6) : 0,
        "source-cpu-percent": dt > 0 ? round3(Math.min(100, (100 * busy) / (dt * this.cores))) : 0,
      };
    });
  }

  private decimate(): void {
    const kept = this.samples.filter((_, i) => i % 2 === 0);
    this.samples.length = 0;
    this.samples.push(...kept);
    this.intervalNs *= 2;
    const last = this.samples[this.samples.length - 1]!;
    this.nextNs = last.atNs + this.intervalNs;
  }
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
