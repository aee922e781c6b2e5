// Which variant won. Only variants that completed with a clean verifier are ranked: a variant that lost
// pages (an injected fault) or never finished would otherwise "win" by sending less, which is the opposite
// of the truth. Figures are compared against the first variant, the scenario's baseline by convention.

import type { VariantResult } from "../model.ts";
import { numberAt } from "./fields.ts";
import { formatVerifier } from "./format.ts";

export type Metric = "transferred" | "total-time" | "downtime";

export interface Award {
  metric: Metric;
  /** Names of the best variants (more than one on a tie). */
  winners: string[];
  /** The winning value: bytes for transferred, ms otherwise. */
  value: number;
  /** The first variant's value, when it is ranked and not among the winners. */
  baseline: { name: string; value: number } | null;
}

export interface Verdict {
  awards: Award[];
  /** Variants left out of the ranking, with why. */
  unranked: { name: string; reason: string }[];
  /** A variant that is best on both bytes and elapsed time, if there is exactly one. */
  overall: string | null;
}

/** Values within this fraction of the best count as a tie (simulation noise is below it). */
const TIE = 0.005;

const METRICS: readonly { metric: Metric; value: (v: VariantResult) => number }[] = [
  { metric: "transferred", value: (v) => v.ram.transferred },
  { metric: "total-time", value: (v) => v["total-time"] },
  { metric: "downtime", value: (v) => v.downtime },
];

/** Why a variant is not ranked, or null when it is. */
export function unrankedReason(variant: VariantResult): string | null {
  if (variant.status === "failed") return `failed: ${variant["error-desc"] ?? "no reason given"}`;
  if (variant.status !== "completed") return variant.status;
  if (variant.verification.mismatches > 0) return `verifier: ${formatVerifier(variant)}`;
  const corrupted = numberAt(variant.verification, ["corrupted-reads"]);
  if (corrupted !== null && corrupted > 0) return `verifier: ${corrupted} corrupted reads`;
  return null;
}

export function verdict(variants: readonly VariantResult[]): Verdict {
  const ranked = variants.filter((v) => unrankedReason(v) === null);
  const unranked = variants.flatMap((v) => {
    const reason = unrankedReason(v);
    return reason === null ? [] : [{ name: v.name, reason }];
  });
  const first = variants[0];
  const baseline = first !== undefined && ranked.includes(first) ? first : null;
  // With one ranked variant there is nothing to compare.
  if (ranked.length < 2) return { awards: [], unranked, overall: null };

  const awards = METRICS.map(({ metric, value }): Award => {
    const best = Math.min(...ranked.map(value));
    const winners = ranked.filter((v) => value(v) <= best + Math.abs(best) * TIE).map((v) => v.name);
    const base =
      baseline !== null && !winners.includes(baseline.name)
        ? { name: baseline.name, value: value(baseline) }
        : null;
    return { metric, winners, value: best, baseline: base };
  });
  const [bytes, time] = awards;
  const overall =
    bytes?.winners.length === 1 && time?.winners.length === 1 && bytes.winners[0] === time.winners[0]
      ? (bytes.winners[0] ?? null)
      : null;
  return { awards, unranked, overall };
}
