import { test } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import type { SimConfig } from "../../src/model.ts";
import { simConfig, uniformDirty } from "../support/sim-config.ts";

const MiB = 1024 ** 2;
const MS = 1_000_000;
const S = 1_000_000_000;

test("an idle guest: every page sent once, zero pages as 9-byte markers, three syncs", () => {
  const r = runVariant(simConfig());
  const pages = (1024 * MiB) / 4096;
  const dataPages = Math.ceil((100 * MiB) / 4096);
  assert.is(r.status, "completed");
  assert.is(r.ram.normal, dataPages);
  assert.is(r.ram.duplicate, pages - dataPages);
  assert.is(r.ram.transferred, dataPages * 4104 + (pages - dataPages) * 9);
  assert.is(r.ram["normal-bytes"], dataPages * 4096);
  // setup's sync, the sync when little remained, the final sync at stop-and-copy.
  assert.is(r.ram["dirty-sync-count"], 3);
  assert.is(r.verification.mismatches, 0);
  assert.is(r.verification["checked-pages"], dataPages);
  assert.ok(r.downtime > 0 && r.downtime < r["total-time"]);
  assert.ok(r["setup-time"] > 0 && r["setup-time"] < r["total-time"]);
});

test("zero-page scanning makes an idle guest's bulk stage CPU-bound, not link-bound", () => {
  const fast = runVariant(simConfig({ patch: (c) => (c.host.zeroPageScanNs = 100) }));
  const slow = runVariant(simConfig({ patch: (c) => (c.host.zeroPageScanNs = 2000) }));
  assert.is(fast.ram.transferred, slow.ram.transferred);
  const zeroPages = slow.ram.duplicate;
  // 1900 ns more per zero page, all on the migration thread.
  const expectedMs = (zeroPages * 1900) / MS;
  const diff = slow["total-time"] - fast["total-time"];
  assert.ok(Math.abs(diff - expectedMs) / expectedMs < 0.03, `diff ${diff} ms vs ${expectedMs} ms`);
});

test("a dirtying guest needs several passes and still verifies", () => {
  const r = runVariant(
    simConfig({
      workload: [{ kind: "boot", dataBytes: 200 * MiB }, uniformDirty(100 * MiB, 256 * MiB)],
      patch: (c) => (c.migration.parameters.downtimeLimitNs = 20 * MS),
    }),
  );
  assert.is(r.status, "completed");
  assert.ok(r.passes.length >= 3, `${r.passes.length} passes`);
  assert.is(r.passes[0]!.stage, "bulk");
  assert.is(r.passes[r.passes.length - 1]!.stage, "stop-and-copy");
  assert.ok(r.ram.normal > (456 * MiB) / 4096, "pages written after their send were sent again");
  assert.is(r.verification.mismatches, 0);
});

function dirtying(rate: number, patch?: (c: SimConfig) => void): SimConfig {
  return simConfig({
    workload: [
      { kind: "boot", dataBytes: 100 * MiB },
      {
        kind: "dirty",
        rateBytesPerSec: rate,
        workingSetBytes: 512 * MiB,
        over: null,
        name: "ws",
        pattern: { kind: "uniform" },
        durationNs: null,
        threads: 2,
      },
    ],
    patch,
  });
}

test("a guest that dirties faster than the link never converges: the pass cap forces stop-and-copy", () => {
  const r = runVariant(dirtying(2000 * MiB, (c) => (c.migration.maxPasses = 5)));
  assert.is(r.status, "completed");
  assert.is(r.ram["dirty-sync-count"], 1 + 5 + 1);
  assert.ok(r.downtime > 300, `downtime ${r.downtime} ms exceeds the limit: forced, not converged`);
  assert.is(r.verification.mismatches, 0);
});

test("auto-converge throttles the guest step by step until it converges", () => {
  const r = runVariant(
    dirtying(2000 * MiB, (c) => {
      c.migration.capabilities["auto-converge"] = true;
      c.migration.maxPasses = 200;
    }),
  );
  assert.is(r.status, "completed");
  assert.ok(r["cpu-throttle-percentage"] >= 20, `throttle ${r["cpu-throttle-percentage"]}`);
  const throttles = r.passes.map((p) => p["cpu-throttle-percentage"]);
  assert.ok(
    throttles.some((t) => t === 20),
    "starts at cpu-throttle-initial",
  );
  assert.ok(
    throttles.every((t, i) => i === 0 || t >= throttles[i - 1]!),
    "only goes up",
  );
  assert.ok(r.downtime <= 400, `converged: downtime ${r.downtime} ms`);
  assert.is(r.verification.mismatches, 0);
});

test("migrate-set-parameters raising downtime-limit lets a stuck migration finish", () => {
  const stuck = runVariant(dirtying(1400 * MiB, (c) => (c.migration.maxPasses = 1000)));
  const helped = runVariant(
    dirtying(1400 * MiB, (c) => {
      c.migration.maxPasses = 1000;
      c.simulation.maxMigrationNs = 60 * S;
      c.commands = [{ atNs: 6 * S, kind: "migrate-set-parameters", parameters: { downtimeLimitNs: 2 * S } }];
    }),
  );
  assert.is(helped.status, "completed");
  assert.ok(helped["total-time"] < 7000, `finished soon after the command: ${helped["total-time"]} ms`);
  assert.ok(helped.downtime > 300);
  assert.ok(stuck["total-time"] > helped["total-time"]);
});

test("a migration that cannot finish in max-migration-time fails with a reason", () => {
  const r = runVariant(
    dirtying(2000 * MiB, (c) => {
      c.migration.maxPasses = 1_000_000;
      c.simulation.maxMigrationNs = 10 * S;
    }),
  );
  assert.is(r.status, "failed");
  assert.match(r["error-desc"] ?? "", /did not complete within 10 s/);
  assert.is(r.verification.scope, "source");
});

test("migrate_cancel stops the migration at its time; the guest stays on the source", () => {
  const r = runVariant(
    simConfig({ patch: (c) => (c.commands = [{ atNs: 1.2 * S, kind: "migrate_cancel" }]) }),
  );
  assert.is(r.status, "cancelled");
  assert.ok(Math.abs(r["total-time"] - 200) <= 15, `cancelled after ${r["total-time"]} ms`);
  assert.is(r.downtime, 0);
  assert.is(r.verification.scope, "source");
  assert.ok(r.ram.transferred > 0 && r.ram.remaining > 0);
});

test("same config and seed give byte-identical results; another seed changes them", () => {
  const a = JSON.stringify(runVariant(dirtying(300 * MiB)));
  const b = JSON.stringify(runVariant(dirtying(300 * MiB)));
  const c = JSON.stringify(runVariant(dirtying(300 * MiB, (x) => (x.seed = 2))));
  assert.is(a, b);
  assert.is.not(a, c);
});

test.run();
