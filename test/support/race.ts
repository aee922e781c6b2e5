// A scripted race for free-page hinting: a big free region is hinted at the first START; while those
// hints wait for a slow I/O thread, the guest allocates and writes memory, so the driver's shrinker hands
// hinted blocks back and they are written; then the bulk stage ends with a sync. With the correct
// protocol the late hints are harmless (discarded, or their pages come back dirty); faults that apply
// them at the wrong time or to the wrong bitmap lose those writes.

import type { SimConfig } from "../../src/model.ts";
import { simConfig } from "./sim-config.ts";

const MiB = 1024 ** 2;
const MS = 1_000_000;

export function hintRace(opts: {
  iothreadLatencyMs: number;
  seed?: number;
  patch?: (c: SimConfig) => void;
}): SimConfig {
  return simConfig({
    memoryBytes: 1024 * MiB,
    seed: opts.seed ?? 1,
    workload: [
      { kind: "boot", dataBytes: 96 * MiB },
      { kind: "touch", bytes: 760 * MiB, name: "old", rateBytesPerSec: null },
      { kind: "free", name: "old", bytes: null },
      { kind: "idle", durationNs: 600 * MS },
      { kind: "touch", bytes: 400 * MiB, name: "new", rateBytesPerSec: 2048 * MiB },
      {
        kind: "dirty",
        rateBytesPerSec: 20 * MiB,
        workingSetBytes: null,
        over: "new",
        name: null,
        pattern: { kind: "uniform" },
        durationNs: null,
        threads: 1,
      },
    ],
    patch: (c) => {
      c.migration.startNs = 400 * MS;
      c.migration.parameters.downtimeLimitNs = 20 * MS;
      c.balloon.freePageHint = true;
      c.balloon.iothreadLatencyNs = opts.iothreadLatencyMs * MS;
      opts.patch?.(c);
    },
  });
}
