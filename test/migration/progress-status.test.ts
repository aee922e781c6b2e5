// Progress carries query-migrate's status as it changes, so adapters can announce a switch to postcopy,
// a pause, or a cancel in progress when they happen.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import type { ProgressStatus, SimConfig } from "../../src/model.ts";
import { NS_PER_MS } from "../../src/model.ts";
import { postcopyGuest } from "../support/postcopy-guest.ts";
import { simConfig } from "../support/sim-config.ts";

const MS = NS_PER_MS;

/** The statuses a run reported, each once, in order. */
function statuses(config: SimConfig): ProgressStatus[] {
  const seen: ProgressStatus[] = [];
  runVariant(config, {
    onProgress: (p) => {
      if (seen.at(-1) !== p.status) seen.push(p.status);
    },
  });
  return seen;
}

const status = suite("progress status");

status("precopy that converges: active, then completed", () => {
  const seen = statuses(
    simConfig({
      memoryBytes: 2 * 1024 ** 3,
      workload: [
        { kind: "boot", dataBytes: 2 * 1024 ** 3 },
        { kind: "idle", durationNs: null },
      ],
    }),
  );
  assert.is(seen[0], "active");
  assert.is(seen.at(-1), "completed");
  assert.not.ok(seen.includes("postcopy-active"));
});

status("postcopy with a cut link: postcopy-active, postcopy-paused, postcopy-recover, completed", () => {
  const seen = statuses(
    postcopyGuest("zero-markers", (c) =>
      c.commands.push(
        { atNs: 900 * MS, kind: "link-down", channel: null },
        { atNs: 1400 * MS, kind: "link-up", channel: null },
      ),
    ),
  );
  const from = seen.indexOf("postcopy-active");
  assert.ok(from > 0, seen.join(" "));
  const order = ["postcopy-paused", "postcopy-recover"].map((s) => seen.indexOf(s as ProgressStatus));
  assert.ok(from < order[0]! && order[0]! < order[1]!, seen.join(" "));
  assert.is(seen.at(-1), "completed");
});

status("a cancel on a dead direct stream reports cancelling until it takes effect", () => {
  const seen = statuses(
    simConfig({
      patch: (c) => {
        c.network.tcpTimeoutNs = 3000 * MS;
        c.commands = [
          { atNs: 1100 * MS, kind: "link-down", channel: null },
          { atNs: 1200 * MS, kind: "migrate_cancel" },
        ];
      },
    }),
  );
  assert.equal(seen.slice(-2), ["cancelling", "cancelled"]);
});

status.run();
