// Fault latencies: every requested page's, kept in a growable typed array so percentiles are exact.

import type { Ns } from "../model.ts";
import { NS_PER_MS } from "../model.ts";

export class LatencyLog {
  private values = new Float64Array(1024);
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(latencyNs: Ns, times = 1): void {
    for (let i = 0; i < times; i++) {
      if (this.n === this.values.length) {
        const bigger = new Float64Array(this.values.length * 2);
        bigger.set(this.values);
        this.values = bigger;
      }
      this.values[this.n++] = latencyNs;
    }
  }

  /** p50, p90, p99 and max in ms (nearest rank), all 0 when nothing was logged. */
  percentilesMs(): { p50: number; p90: number; p99: number; max: number } {
    if (this.n === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = this.values.slice(0, this.n).sort();
    const at = (q: number) => sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)]! / NS_PER_MS;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      p50: round(at(0.5)),
      p90: round(at(0.9)),
      p99: round(at(0.99)),
      max: round(sorted[this.n - 1]! / NS_PER_MS),
    };
  }
}
