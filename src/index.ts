// The public surface of the simulation core: pure functions from resolved configurations to results.
// Adapters (CLI, server, reports) import only from here and from src/scenario.

import { simulateGroup } from "./migration/group.ts";
import { simulateVariant } from "./migration/simulate.ts";
import type { Progress, RunResult, SimConfig, VariantResult } from "./model.ts";

export type * from "./model.ts";

/** Called by the core while it runs; nothing here may touch a clock. */
export interface RunHooks {
  /** Called after every bitmap sync and every ~1% of a pass. */
  onProgress?: (progress: Progress) => void;
  /** Polled between steps; true stops the run, which is then reported as cancelled. */
  shouldStop?: () => boolean;
}

/** Runs one variant. */
export function runVariant(config: SimConfig, hooks: RunHooks = {}): VariantResult {
  return simulateVariant(config, hooks);
}

/**
 * Runs several guests of one variant at once between the same two hosts (configs with one variantName,
 * each with its guestName); the result holds the totals and each guest's own result.
 */
export function runGuests(configs: readonly SimConfig[], hooks: RunHooks = {}): VariantResult {
  if (configs.length === 0) throw new Error("runGuests: at least one guest");
  return simulateGroup(configs, hooks);
}

/**
 * Runs every variant of a scenario, in order; all configs must come from the same scenario and seed.
 * Consecutive configs of one variant with guest names are its guests, migrated at once.
 */
export function runScenario(configs: readonly SimConfig[], hooks: RunHooks = {}): RunResult {
  const first = configs[0];
  if (first === undefined) throw new Error("runScenario: a scenario has at least one variant");
  const variants: VariantResult[] = [];
  for (let i = 0; i < configs.length; ) {
    const config = configs[i]!;
    if (config.guestName === null) {
      variants.push(simulateVariant(config, hooks));
      i++;
      continue;
    }
    let end = i + 1;
    while (end < configs.length && configs[end]!.variantName === config.variantName) end++;
    variants.push(runGuests(configs.slice(i, end), hooks));
    i = end;
  }
  return { scenario: first.scenarioName, seed: first.seed, variants };
}
