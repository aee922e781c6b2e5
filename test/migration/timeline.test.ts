// The timeline a report draws: throughput never above what the link carries, and both hosts' CPU over time.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import { NS_PER_MS } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { fullGuest, simConfig } from "../support/sim-config.ts";

const GiB = 1024 ** 3;

const timeline = suite("timeline");

timeline("throughput stays within the link's goodput at every sample, batches longer than samples", () => {
  const config = fullGuest((c) => {
    // Batches of 50 ms, samples every 5 ms: each batch spans ten samples.
    c.simulation.maxStepNs = 50 * NS_PER_MS;
    c.simulation.sampleIntervalNs = 5 * NS_PER_MS;
  });
  const r = runVariant(config);
  const linkMbps = (tcpGoodputBytesPerSec(config.network) * 8) / 1e6;
  const peak = Math.max(...r.timeline.map((s) => s.mbps));
  assert.ok(peak <= linkMbps * 1.001, `peak ${peak} Mbit/s over a ${linkMbps} Mbit/s link`);
  assert.ok(peak > linkMbps * 0.9, `the link is busy while sending: peak ${peak}`);
  const last = r.timeline[r.timeline.length - 1]!;
  assert.is(last.transferred, r.ram.transferred);
});

timeline("the destination's CPU is sampled too: busy while pages arrive, as the source's", () => {
  const r = runVariant(
    simConfig({
      memoryBytes: GiB,
      workload: [
        { kind: "boot", dataBytes: GiB },
        { kind: "idle", durationNs: null },
      ],
    }),
  );
  const sending = r.timeline.filter((s) => s.mbps > 0);
  assert.ok(sending.length > 3);
  for (const s of sending) {
    assert.ok(s["destination-cpu-percent"] > 0, `${s["time-ms"]} ms: destination idle while receiving`);
    assert.ok(s["destination-cpu-percent"] <= 100);
  }
});

timeline.run();
