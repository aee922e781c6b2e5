// One variant, end to end: build the world, run the guest and the migration, report.

import type { RunHooks } from "../index.ts";
import type { SimConfig, VariantResult } from "../model.ts";
import { Migration } from "./migration.ts";
import { buildResult } from "./result.ts";

export function simulateVariant(config: SimConfig, hooks: RunHooks): VariantResult {
  const migration = new Migration(config, hooks);
  migration.run();
  return buildResult(migration);
}
