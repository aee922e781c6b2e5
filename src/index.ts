// The public surface of the simulation core: pure functions from resolved configurations to results.
// Adapters (CLI, server, reports) import only from here and from src/scenario.

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

/** Runs every variant of a scenario, in order; all configs must come from the same scenario and seed. */
export function runScenario(configs: readonly SimConfig[], hooks: RunHooks = {}): RunResult {
  const first = configs[0];
  if (first === undefined) throw new Error("runScenario: a scenario has at least one variant");
  return {
    scenario: first.scenarioName,
    seed: first.seed,
    variants: configs.map((config) => simulateVariant(config, hooks)),
  };
}
