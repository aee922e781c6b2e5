// A guest that keeps allocating, writing and freeing during migration while free-page hinting holds
// most of its free memory: the allocations find the free lists empty, so the driver's shrinker must
// give hinted blocks back, which the guest then writes. Races between hints, syncs and those writes are
// exactly where a wrong protocol loses writes.

import type { SimConfig, WorkloadStep } from "../../src/model.ts";
import { simConfig } from "./sim-config.ts";

const MiB = 1024 ** 2;
const MS = 1_000_000;

export function churningGuest(
  seed: number,
  opts: { rounds?: number; chunkMiB?: number; patch?: (c: SimConfig) => void } = {},
): SimConfig {
  const rounds = opts.rounds ?? 16;
  const chunk = opts.chunkMiB ?? 32;
  const steps: WorkloadStep[] = [
    { kind: "boot", dataBytes: 96 * MiB },
    // A job that ran and ended: free memory full of stale data.
    { kind: "touch", bytes: 200 * MiB, name: "old", rateBytesPerSec: null },
  ];
  for (let i = 0; i < rounds; i++) {
    steps.push({ kind: "touch", bytes: chunk * MiB, name: `scratch${i}`, rateBytesPerSec: null });
  }
  steps.push({ kind: "free", name: "old", bytes: null }, { kind: "idle", durationNs: 300 * MS });
  for (let i = 0; i < rounds; i++) {
    // Freed scratch is hinted at the next START; the allocation after it finds the free lists empty, and
    // the shrinker hands back hinted blocks, which the guest writes and keeps.
    steps.push({ kind: "free", name: `scratch${i}`, bytes: null });
    steps.push({ kind: "idle", durationNs: (40 + ((seed * 7 + i * 13) % 80)) * MS });
    steps.push({ kind: "touch", bytes: chunk * MiB, name: `kept${i}`, rateBytesPerSec: 400 * MiB });
  }
  steps.push({
    kind: "dirty",
    rateBytesPerSec: 30 * MiB,
    workingSetBytes: null,
    over: `kept${rounds - 1}`,
    name: null,
    pattern: { kind: "uniform" },
    durationNs: null,
    threads: 1,
  });
  return simConfig({
    memoryBytes: 1024 * MiB,
    seed,
    workload: steps,
    patch: (c) => {
      c.migration.startNs = 400 * MS;
      c.network.bandwidthBytesPerSec = 1.25e8;
      c.migration.parameters.maxBandwidthBytesPerSec = 1.25e8;
      c.migration.parameters.downtimeLimitNs = 30 * MS;
      c.balloon.freePageHint = true;
      // A slow I/O thread keeps hints queued across syncs and reclaimed blocks.
      c.balloon.iothreadLatencyNs = 1000 * MS;
      opts.patch?.(c);
    },
  });
}
