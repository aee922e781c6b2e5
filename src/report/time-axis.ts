// The time axis of a report's line charts: milliseconds for short runs (the figures people quote are in
// ms), seconds once the longest variant runs past 10 s, where thousands of ms stop being readable.

import type { RunResult } from "../model.ts";
import { formatNumber } from "./format.ts";

export interface TimeAxis {
  unit: "ms" | "s";
  /** Divides a time in ms to get axis units. */
  msPerUnit: number;
  label: string;
  /** A time in axis units, as text with its unit. */
  format(value: number): string;
}

export function timeAxis(result: RunResult): TimeAxis {
  const longest = Math.max(0, ...result.variants.map((v) => v["total-time"]));
  if (longest > 10_000) {
    return {
      unit: "s",
      msPerUnit: 1000,
      label: "time since migrate (s)",
      format: (value) => `${formatNumber(value, 2)} s`,
    };
  }
  return {
    unit: "ms",
    msPerUnit: 1,
    label: "time since migrate (ms)",
    format: (value) => `${formatNumber(value, 1)} ms`,
  };
}
