// The few fields of a result the server reads itself (scenario, seed, each variant's status), taken from a
// parsed result.json that may come from any version of hintmig, or from a hand-edited file: checked, never
// trusted.

import type { VariantOutcome } from "./schemas.ts";

/** The part of a result.json the server reads itself: enough for a run's summary. */
export interface ResultSummary {
  scenario: string;
  seed: number;
  outcomes: VariantOutcome[];
}

const OUTCOME_STATUSES = new Set(["completed", "cancelled", "failed"]);

/** The summary of a parsed result.json, or null when it is not a result. */
export function summarizeResult(value: unknown): ResultSummary | null {
  if (typeof value !== "object" || value === null) return null;
  const { scenario, seed, variants } = value as Record<string, unknown>;
  if (typeof scenario !== "string" || typeof seed !== "number" || !Array.isArray(variants)) return null;
  const outcomes: VariantOutcome[] = [];
  for (const variant of variants) {
    if (typeof variant !== "object" || variant === null) return null;
    const { name, status } = variant as Record<string, unknown>;
    const errorDesc = (variant as Record<string, unknown>)["error-desc"];
    if (typeof name !== "string" || typeof status !== "string" || !OUTCOME_STATUSES.has(status)) return null;
    outcomes.push({
      name,
      status: status as VariantOutcome["status"],
      ...(typeof errorDesc === "string" ? { "error-desc": errorDesc } : {}),
    });
  }
  return { scenario, seed, outcomes };
}
