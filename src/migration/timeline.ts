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
  destinationBusyNs: Ns;
}

export class Timeline {
  private readonly samples: { atNs: Ns; c: Counters }[] = [];
  private nextNs: Ns;
  private last: { atNs: Ns; c: Counters } | null = null;

  constructor(
    private readonly startNs: Ns,
    private intervalNs: Ns,
    private readonly cores: number,
  ) {
    this.nextNs = startNs;
  }

  /**
   * Records a sample for every interval boundary up to `nowNs`. Counters move steadily between two calls
   * (a batch crosses at an even rate), so a boundary between them gets the values in proportion.
   */
  record(nowNs: Ns, c: Counters): void {
    const last = this.last;
    while (this.nextNs <= nowNs) {
      const f = last === null || nowNs <= last.atNs ? 1 : (this.nextNs - last.atNs) / (nowNs - last.atNs);
      this.samples.push({ atNs: this.nextNs, c: last === null ? { ...c } : between(last.c, c, f) });
      this.nextNs += this.intervalNs;
      if (this.samples.length > MAX_SAMPLES) this.decimate();
    }
    this.last = { atNs: nowNs, c: { ...c } };
  }

  /** Forces a final sample at the end of the migration. */
  finish(nowNs: Ns, c: Counters): TimelineSample[] {
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || last.atNs < nowNs) this.samples.push({ atNs: nowNs, c: { ...c } });
    return this.samples.map((s, i) => {
      const prev = this.samples[i - 1];
      const dt = prev === undefined ? 0 : s.atNs - prev.atNs;
      const bytes = prev === undefined ? 0 : s.c.transferredBytes - prev.c.transferredBytes;
      const cpuPercent = (busyNs: (c: Counters) => Ns) =>
        prev === undefined || dt <= 0
          ? 0
          : round3(Math.min(100, (100 * (busyNs(s.c) - busyNs(prev.c))) / (dt * this.cores)));
      return {
        "time-ms": round3((s.atNs - this.startNs) / NS_PER_MS),
        transferred: Math.round(s.c.transferredBytes),
        remaining: s.c.remainingPages,
        mbps: dt > 0 ? round3((bytes * 8 * NS_PER_SEC) / dt / 1e6) : 0,
        "source-cpu-percent": cpuPercent((c) => c.sourceBusyNs),
        "destination-cpu-percent": cpuPercent((c) => c.destinationBusyNs),
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

/** Counters a fraction `f` of the way from `a` to `b` (0 to 1). */
export function between(a: Counters, b: Counters, f: number): Counters {
  const at = (x: number, y: number) => x + (y - x) * f;
  return {
    transferredBytes: at(a.transferredBytes, b.transferredBytes),
    remainingPages: Math.round(at(a.remainingPages, b.remainingPages)),
    sourceBusyNs: at(a.sourceBusyNs, b.sourceBusyNs),
    destinationBusyNs: at(a.destinationBusyNs, b.destinationBusyNs),
  };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
