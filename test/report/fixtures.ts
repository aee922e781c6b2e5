// Hand-made results for the report tests: sizes and shapes chosen per test, no simulation needed.

import type { PassRecord, RunResult, TimelineSample, VariantResult } from "../../src/index.ts";

export interface VariantShape {
  name?: string;
  /** Timeline samples (the core keeps at most ~2000). */
  samples?: number;
  passes?: number;
  memoryBytes?: number;
  overrides?: Partial<VariantResult>;
}

function passes(count: number, pages: number): PassRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    pass: i + 1,
    stage: i === 0 ? "bulk" : i === count - 1 ? "stop-and-copy" : "iterative",
    "start-ms": i * 1000,
    "end-ms": (i + 1) * 1000,
    "dirty-pages-at-start": i === 0 ? pages : Math.round(pages / (i + 4)),
    "normal-pages": i === 0 ? Math.round(pages / 10) : Math.round(pages / (i + 4)),
    "duplicate-pages": i === 0 ? Math.round(pages / 20) : 0,
    "skipped-free-pages": i === 0 ? Math.round(pages * 0.85) : 0,
    "transferred-bytes": (i === 0 ? pages / 10 : pages / (i + 4)) * 4104,
    "cpu-throttle-percentage": 0,
  }));
}

function timeline(count: number, pages: number, endMs: number): TimelineSample[] {
  return Array.from({ length: count }, (_, i) => ({
    // Irregular fractions, as the core's round3 produces, so the JSON is as long as a real one.
    "time-ms": Math.round(((i * endMs) / Math.max(1, count - 1)) * 1000) / 1000,
    transferred: Math.round(i * 123_456_789.123),
    remaining: i === 0 ? 0 : Math.max(0, Math.round(pages * (1 - i / count) + 1000 * Math.sin(i))),
    mbps: i === 0 ? 0 : Math.round((9000 + 800 * Math.sin(i / 3)) * 1000) / 1000,
    "source-cpu-percent": i === 0 ? 0 : Math.round((3 + 2 * Math.cos(i / 5)) * 1000) / 1000,
    "destination-cpu-percent": i === 0 ? 0 : Math.round((2 + Math.cos(i / 7)) * 1000) / 1000,
  }));
}

export function variant(shape: VariantShape = {}): VariantResult {
  const memory = shape.memoryBytes ?? 8 * 1024 ** 3;
  const pages = memory / 4096;
  const passCount = shape.passes ?? 2;
  const endMs = passCount * 1000;
  return {
    name: shape.name ?? "original",
    status: "completed",
    "total-time": endMs,
    downtime: 212.5,
    "setup-time": 45,
    "cpu-throttle-percentage": 0,
    ram: {
      transferred: Math.round(memory * 0.9985),
      total: memory,
      duplicate: 7200,
      normal: 2_089_952,
      "normal-bytes": 2_089_952 * 4096,
      "dirty-sync-count": passCount + 1,
      "postcopy-requests": 0,
      "page-size": 4096,
      remaining: 0,
      "dirty-pages-rate": 0,
      mbps: 9307.236,
      "skipped-free": 0,
    },
    passes: passes(passCount, pages),
    timeline: timeline(shape.samples ?? 50, pages, endMs),
    cpu: {
      cores: 8,
      "host-idle-percent": 97.7,
      "destination-idle-percent": 97.7,
      threads: { migration: 1349.3 },
    },
    verification: { "checked-pages": 97_657, mismatches: 0, "mismatched-pages": [], scope: "destination" },
    ...shape.overrides,
  };
}

export function runResult(variants: VariantResult[], scenario = "default"): RunResult {
  return { scenario, seed: 1, variants };
}

export const SCENARIO_TEXT = `name: default
description: An 8 GiB guest whose job ended just before migration.
guest: { memory: 8GiB }
variants:
  - name: original
    description: QEMU without free-page hinting.
  - name: free-page-hint
    description: The guest reports its free blocks when asked.
    set: { balloon: { free-page-hint: true } }
`;

export const CREATED_AT = "2026-11-22T05:41:30.000Z";

/**
 * A variant that migrated `guests` at once, shaped as the core makes it: totals at its own level (bytes
 * summed, the longest times), no passes of its own, and each guest's result under `guests`.
 */
export function severalGuests(name: string, guests: VariantResult[]): VariantResult {
  const base = variant({ name });
  const sum = (of: (g: VariantResult) => number) => guests.reduce((n, g) => n + of(g), 0);
  const max = (of: (g: VariantResult) => number) => Math.max(...guests.map(of));
  return {
    ...base,
    "total-time": max((g) => g["total-time"]),
    downtime: max((g) => g.downtime),
    "setup-time": max((g) => g["setup-time"]),
    ram: {
      ...base.ram,
      transferred: sum((g) => g.ram.transferred),
      total: sum((g) => g.ram.total),
      "dirty-sync-count": sum((g) => g.ram["dirty-sync-count"]),
    },
    passes: [],
    cpu: { ...base.cpu, "host-idle-percent": 61.2, "destination-idle-percent": 93.4 },
    guests,
  };
}

/** Three guests of different sizes, times and pass counts, as scenarios/examples/several-guests.yaml has. */
export function threeGuests(name = "plain"): VariantResult {
  const guest = (guestName: string, memoryBytes: number, passes: number, idle: number) => {
    const g = variant({ name: guestName, memoryBytes, passes, samples: 40 });
    return { ...g, cpu: { ...g.cpu, "host-idle-percent": idle }, "setup-time": 30 + passes };
  };
  return severalGuests(name, [
    guest("db", 8 * 1024 ** 3, 4, 72.6),
    guest("web-1", 4 * 1024 ** 3, 3, 85.6),
    guest("web-2", 4 * 1024 ** 3, 2, 85.5),
  ]);
}
