// A hand-made RunResult for the formatting tests, so they do not depend on the core.

import type { RunResult, VariantResult } from "../../src/index.ts";

export function variant(overrides: Partial<VariantResult> = {}): VariantResult {
  return {
    name: "hinting-off",
    status: "completed",
    "total-time": 1894,
    downtime: 4.25,
    "setup-time": 12,
    "cpu-throttle-percentage": 0,
    ram: {
      transferred: 407_569_408,
      total: 8 * 1024 ** 3,
      duplicate: 2_000_000,
      normal: 97_000,
      "normal-bytes": 97_000 * 4096,
      "dirty-sync-count": 3,
      "postcopy-requests": 0,
      "page-size": 4096,
      remaining: 0,
      "dirty-pages-rate": 0,
      mbps: 1720.5,
      "skipped-free": 0,
    },
    passes: [],
    timeline: [],
    cpu: { cores: 36, "host-idle-percent": 97, "destination-idle-percent": 98, threads: {} },
    verification: { "checked-pages": 2_097_152, mismatches: 0, "mismatched-pages": [], scope: "destination" },
    ...overrides,
  };
}

export function runResult(variants: VariantResult[]): RunResult {
  return { scenario: "Liang Li 2016", seed: 1, variants };
}
