// The simulator against the closed-form precopy model (Clark et al. 2005; SimGrid's cloud-migration):
// with uniform dirtying of a working set W at D bytes/s over a link of goodput B, no zero pages and
// negligible CPU costs, pass 0 sends all RAM and pass i sends min(W, D·t(i-1)) where t(i-1) is the
// previous pass's duration; precopy stops once what remains fits B × downtime-limit.

import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import type { SimConfig } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { simConfig, uniformDirty } from "../support/sim-config.ts";

const MiB = 1024 ** 2;
const MS = 1_000_000;
const PAGE = 4096;
const WIRE_PAGE = PAGE + 8;

function linkBoundConfig(memMiB: number, wsMiB: number, rateMiB: number, seed: number): SimConfig {
  return simConfig({
    memoryBytes: memMiB * MiB,
    seed,
    workload: [
      // Everything outside the working set holds data too: no zero pages anywhere.
      { kind: "boot", dataBytes: (memMiB - wsMiB) * MiB },
      uniformDirty(rateMiB * MiB, wsMiB * MiB),
    ],
    patch: (c) => {
      Object.assign(c.host, {
        zeroPageScanNs: 0,
        dataPageScanNs: 0,
        pageOverheadNs: 0,
        sendCopyBytesPerSec: 1e15,
        receiveCopyBytesPerSec: 1e15,
        bitmapSyncNsPerPage: 0,
        dirtyLogStartNsPerPage: 0,
        setupFixedNs: 0,
        deviceStateNs: 0,
      });
      c.guest.deviceStateBytes = 0;
      c.network.rttNs = 0;
      c.migration.parameters.maxBandwidthBytesPerSec = 1e15;
      c.migration.parameters.downtimeLimitNs = 1 * MS;
      c.migration.maxPasses = 1000;
    },
  });
}

/** The geometric series, in seconds and bytes. */
function closedForm(c: SimConfig): { timeS: number; bytes: number } {
  const B = tcpGoodputBytesPerSec(c.network);
  const pages = c.guest.memoryBytes / PAGE;
  const step = c.workload[1]!;
  if (step.kind !== "dirty") throw new Error("unexpected workload");
  const W = step.workingSetBytes! / PAGE;
  const D = step.rateBytesPerSec / PAGE;
  let t = (pages * WIRE_PAGE) / B;
  let time = t;
  let bytes = pages * WIRE_PAGE;
  const threshold = B * (c.migration.parameters.downtimeLimitNs / 1e9);
  for (;;) {
    const n = Math.min(W, D * t);
    t = (n * WIRE_PAGE) / B;
    time += t;
    bytes += n * WIRE_PAGE;
    if (n * PAGE <= threshold) break;
  }
  return { timeS: time, bytes };
}

test("total time and bytes follow the geometric series within 2%", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 512, max: 2048 }),
      fc.integer({ min: 32, max: 400 }),
      fc.integer({ min: 20, max: 600 }),
      fc.integer({ min: 1, max: 1000 }),
      (memMiB, wsMiB, rateMiB, seed) => {
        const c = linkBoundConfig(memMiB, wsMiB, rateMiB, seed);
        const model = closedForm(c);
        const r = runVariant(c);
        const timeErr = Math.abs(r["total-time"] / 1000 - model.timeS) / model.timeS;
        const byteErr = Math.abs(r.ram.transferred - model.bytes) / model.bytes;
        assert.is(r.verification.mismatches, 0);
        assert.ok(timeErr < 0.02, `time ${r["total-time"]} ms vs ${(model.timeS * 1000).toFixed(1)} ms`);
        assert.ok(byteErr < 0.02, `bytes ${r.ram.transferred} vs ${model.bytes.toFixed(0)}`);
      },
    ),
    { numRuns: 25, seed: 20260 },
  );
});

test.run();
