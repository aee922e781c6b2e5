// The verifier must catch what the protocol gets wrong. Faults are injected through the same notifier
// points a buggy balloon driver would use, never by editing the verifier's inputs.

import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pageRange } from "../../src/bitmap/roaring.ts";
import { Migration } from "../../src/migration/migration.ts";
import { buildResult } from "../../src/migration/result.ts";
import type { SimConfig, WorkloadStep } from "../../src/model.ts";
import { simConfig } from "../support/sim-config.ts";

const MiB = 1024 ** 2;
const MS = 1_000_000;

function busy(seed: number, rateMiB: number, pattern: "uniform" | "sequential" | "hot-cold"): SimConfig {
  const steps: WorkloadStep[] = [
    { kind: "boot", dataBytes: 64 * MiB },
    { kind: "touch", bytes: 96 * MiB, name: "job", rateBytesPerSec: null },
    { kind: "idle", durationNs: 500 * MS },
    { kind: "free", name: "job", bytes: 32 * MiB },
    {
      kind: "dirty",
      rateBytesPerSec: rateMiB * MiB,
      workingSetBytes: 128 * MiB,
      over: null,
      name: "ws",
      pattern:
        pattern === "hot-cold"
          ? { kind: "hot-cold", hotFraction: 0.1, hotWriteFraction: 0.9 }
          : { kind: pattern },
      durationNs: 1200 * MS,
      threads: 1,
    },
    { kind: "touch", bytes: 64 * MiB, name: "late", rateBytesPerSec: 256 * MiB },
    { kind: "free", name: "ws", bytes: null },
    {
      kind: "dirty",
      rateBytesPerSec: 20 * MiB,
      workingSetBytes: null,
      over: "late",
      name: null,
      pattern: { kind: "uniform" },
      durationNs: null,
      threads: 1,
    },
  ];
  return simConfig({
    memoryBytes: 512 * MiB,
    seed,
    workload: steps,
    patch: (c) => {
      c.network.bandwidthBytesPerSec = 1.25e8;
      c.migration.parameters.maxBandwidthBytesPerSec = 1.25e8;
      c.migration.parameters.downtimeLimitNs = 50 * MS;
      c.migration.startNs = 800 * MS;
    },
  });
}

test("with the correct protocol, guests that allocate, write and free during migration verify clean", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.integer({ min: 5, max: 60 }),
      fc.constantFrom("uniform" as const, "sequential" as const, "hot-cold" as const),
      (seed, rate, pattern) => {
        const m = new Migration(busy(seed, rate, pattern), {});
        m.run();
        const r = buildResult(m);
        assert.is(r.status, "completed");
        assert.is(r.verification.mismatches, 0, JSON.stringify(r.verification["mismatched-pages"]));
        assert.ok(r.ram["dirty-sync-count"] >= 3);
      },
    ),
    { numRuns: 12, seed: 7 },
  );
});

test("writes dropped from the dirty log are lost, and the verifier names the pages", () => {
  const m = new Migration(busy(3, 30, "uniform"), {});
  // The fault: at the sync that ends the bulk stage, forget every write logged during it.
  let syncs = 0;
  const everything = pageRange(0, m.memory.totalPages);
  const lostVersions = new Map<number, number>();
  m.notifiers.add((n) => {
    if (n.reason === "before-bitmap-sync" && ++syncs === 2) m.dirtyLog.clear(everything);
  });
  m.run();
  const r = buildResult(m);
  assert.is(r.status, "completed");
  assert.ok(r.verification.mismatches > 0, "lost writes are reported");
  for (const p of r.verification["mismatched-pages"]) {
    assert.ok(m.memory.allocated.has(p.page), `page ${p.page} is in use by the guest`);
    assert.ok(p.source > p.destination, "the destination holds an older version");
    lostVersions.set(p.page, p.source);
  }
  assert.is(lostVersions.size, Math.min(16, r.verification.mismatches));
});

test("the same run without the fault is clean", () => {
  const m = new Migration(busy(3, 30, "uniform"), {});
  m.run();
  assert.is(buildResult(m).verification.mismatches, 0);
});

test.run();
