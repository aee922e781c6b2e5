// Several guests migrated at once between the same two hosts: they share the link, the hosts' CPU and the
// daemons, and each still verifies on its own. Closed forms as in test/transport/end-to-end.test.ts: guests
// full of data and idle while migrating, so the bytes are known and sharing is all that changes the time.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runGuests, runScenario, runVariant } from "../../src/index.ts";
import type { SimConfig, VariantResult } from "../../src/model.ts";
import { NS_PER_MS } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { fullGuest, uniformDirty } from "../support/sim-config.ts";
import { relErr } from "../transport/context.ts";

const GiB = 1024 ** 3;

/** A guest full of data, idle while migrating, named `name`, max-bandwidth out of the way. */
function guest(name: string | null, patch: (c: SimConfig) => void = () => {}): SimConfig {
  return fullGuest((c) => {
    c.guestName = name;
    patch(c);
  });
}

/** Time spent sending RAM: from the end of setup to the end of the last pass. */
function sendingMs(r: VariantResult): number {
  return r.passes[r.passes.length - 1]!["end-ms"] - r["setup-time"];
}

function allCompleted(r: VariantResult): void {
  assert.is(r.status, "completed", r["error-desc"]);
  for (const g of r.guests ?? []) {
    assert.is(g.status, "completed", `${g.name}: ${g["error-desc"]}`);
    assert.is(g.verification.mismatches, 0, g.name);
  }
  assert.is(r.verification.mismatches, 0);
}

const group = suite("several guests at once");

group("two link-bound guests each take twice as long as one alone; the pair takes bytes / goodput", () => {
  const alone = runVariant(guest(null));
  const pair = runGuests([guest("a"), guest("b")]);
  allCompleted(pair);
  const goodput = tcpGoodputBytesPerSec(guest(null).network);
  for (const g of pair.guests!) {
    const ratio = sendingMs(g) / sendingMs(alone);
    assert.ok(Math.abs(ratio - 2) < 0.05, `${g.name}: ${ratio}× alone`);
  }
  const expectedMs = (pair.ram.transferred / goodput) * 1000;
  const sendMs = Math.max(...pair.guests!.map(sendingMs));
  assert.ok(relErr(sendMs, expectedMs) < 0.03, `${sendMs} ms vs ${expectedMs} ms`);
  assert.is(pair.ram.transferred, pair.guests![0]!.ram.transferred + pair.guests![1]!.ram.transferred);
});

group("tunnelled guests queue on the one daemon thread per host", () => {
  // The daemon's copies bind at 250 MB/s, well under the link.
  const tunnelled = (name: string | null) =>
    guest(name, (c) => {
      c.migration.transport = "tunnelled";
      c.transport.daemonTls = false;
      c.transport.daemonCopyBytesPerSec = 250e6;
    });
  const alone = runVariant(tunnelled(null));
  const three = runGuests([tunnelled("a"), tunnelled("b"), tunnelled("c")]);
  allCompleted(three);
  for (const g of three.guests!) {
    const ratio = sendingMs(g) / sendingMs(alone);
    assert.ok(Math.abs(ratio - 3) < 0.1, `${g.name}: ${ratio}× alone`);
  }
  // One daemon thread per host, busy about the whole time, not one per guest.
  const daemonMs = three.cpu.threads.libvirtd!;
  assert.ok(daemonMs <= three["total-time"] + 1, `libvirtd ${daemonMs} ms in ${three["total-time"]} ms`);
  assert.ok(daemonMs > 0.9 * Math.max(...three.guests!.map(sendingMs)));
  assert.not.ok("a/libvirtd" in three.cpu.threads);
});

group("the totals' throughput over time never exceeds the one link they share", () => {
  const pair = runGuests([
    guest("a", (c) => (c.simulation.sampleIntervalNs = 5 * NS_PER_MS)),
    guest("b", (c) => (c.simulation.sampleIntervalNs = 5 * NS_PER_MS)),
  ]);
  const linkMbps = (tcpGoodputBytesPerSec(guest(null).network) * 8) / 1e6;
  const peak = Math.max(...pair.timeline.map((s) => s.mbps));
  assert.ok(peak <= linkMbps * 1.01, `${peak} Mbit/s on a ${linkMbps} Mbit/s link`);
  assert.ok(peak > linkMbps * 0.9, `the link is full while both send: ${peak}`);
});

group("a 4-channel multifd guest takes 4 shares of the link against a plain one", () => {
  const pair = runGuests([
    guest("multifd", (c) => {
      c.migration.transport = "multifd";
      c.transport.multifdChannels = 4;
    }),
    guest("plain"),
  ]);
  allCompleted(pair);
  const [multifd, plain] = pair.guests!;
  // While both send, multifd moves 4 bytes for plain's 1, so it finishes first, having sent its 1 GiB
  // while plain sent a quarter of that; plain then has the link alone for the rest.
  const goodput = tcpGoodputBytesPerSec(guest(null).network);
  const bothMs = (multifd!.ram.transferred / (0.8 * goodput)) * 1000;
  const plainRestMs = ((plain!.ram.transferred - multifd!.ram.transferred / 4) / goodput) * 1000;
  assert.ok(relErr(sendingMs(multifd!), bothMs) < 0.05, `multifd ${sendingMs(multifd!)} vs ${bothMs}`);
  assert.ok(relErr(sendingMs(plain!), bothMs + plainRestMs) < 0.05, `plain ${sendingMs(plain!)}`);
});

group("the hosts' CPU is one account: guests' threads by name, busy time adding up", () => {
  const pair = runGuests([guest("a"), guest("b", (c) => (c.migration.transport = "tls"))]);
  allCompleted(pair);
  const threads = pair.cpu.threads;
  assert.ok(threads["a/migration"]! > 0 && threads["b/migration"]! > 0);
  assert.ok(threads["a/receive"]! > 0 && threads["b/receive"]! > 0);
  const total = Object.values(threads).reduce((a, b) => a + b, 0);
  const perGuest = pair.guests!.flatMap((g) => Object.values(g.cpu.threads)).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - perGuest) < 0.01 * total, `${total} vs ${perGuest}`);
  assert.ok(pair.cpu["host-idle-percent"] < Math.min(...pair.guests!.map((g) => g.cpu["host-idle-percent"])));
});

group("a guest cancelled midway frees the link for the other; the run is cancelled, nothing lost", () => {
  const cancelAtNs = 1500 * NS_PER_MS;
  const pair = runGuests([
    guest("stays"),
    guest("cancelled", (c) => c.commands.push({ atNs: cancelAtNs, kind: "migrate_cancel" })),
  ]);
  const [stays, cancelled] = pair.guests!;
  assert.is(pair.status, "cancelled");
  assert.is(stays!.status, "completed");
  assert.is(stays!.verification.mismatches, 0);
  assert.is(cancelled!.status, "cancelled");
  assert.is(cancelled!.verification.scope, "source");
  const shared = runGuests([guest("stays"), guest("other")]);
  assert.ok(stays!["total-time"] < shared.guests![0]!["total-time"] * 0.9, "the link came back to it");
});

group("the same guests and seed give the same bytes; guests draw from their own random streams", () => {
  const dirtying = (name: string) =>
    guest(name, (c) => {
      c.workload = [{ kind: "boot", dataBytes: GiB / 4 }, uniformDirty(200e6, GiB / 2)];
    });
  const run = () => JSON.stringify(runScenario([dirtying("a"), dirtying("b")]));
  assert.is(run(), run());
  const [a, b] = runGuests([dirtying("a"), dirtying("b")]).guests!;
  assert.ok(a!.verification["checked-pages"] > 0 && b!.verification["checked-pages"] > 0);
  assert.not.equal(a!.timeline, b!.timeline, "two guests with one config still write different pages");
});

group.run();
