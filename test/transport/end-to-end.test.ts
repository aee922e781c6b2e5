// Whole migrations through each transport, against closed forms: when one stage of a transport is the
// bottleneck, the total time follows from its parameters. The guest holds data in every page, so every
// page goes whole and the bytes are known; it writes nothing while migrating unless a test says so.
// And CPU accounting: per host, busy threads plus idle add up to cores × elapsed, no thread busier than
// the migration was long.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runVariant } from "../../src/index.ts";
import type { VariantResult } from "../../src/model.ts";
import { tcpGoodputBytesPerSec } from "../../src/transport/link.ts";
import { fullGuest, simConfig, uniformDirty } from "../support/sim-config.ts";
import { relErr, TRANSPORT_NAMES } from "./context.ts";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function seconds(r: VariantResult): number {
  return r["total-time"] / 1000;
}

function completed(r: VariantResult): VariantResult {
  assert.is(r.status, "completed", r["error-desc"]);
  assert.is(r.verification.mismatches, 0);
  return r;
}

const e2e = suite("transports end to end");

e2e("tls: cipher-bound time is the bytes over the cipher rate (within 3%)", () => {
  const r = completed(
    runVariant(
      fullGuest((c) => {
        c.migration.transport = "tls";
        c.transport.tlsEncryptBytesPerSec = 100e6;
      }),
    ),
  );
  const expected = r.ram.transferred / 100e6;
  assert.ok(relErr(seconds(r), expected) < 0.03, `${seconds(r)} s vs ${expected} s`);
  assert.ok(r.cpu.threads.migration! / r["total-time"] > 0.95, "the migration thread is pinned");
});

e2e("multifd: TLS-bound channels scale linearly until the link binds", () => {
  const run = (channels: number) =>
    completed(
      runVariant(
        fullGuest((c) => {
          c.migration.transport = "multifd";
          c.transport.multifdChannels = channels;
          c.transport.multifdTls = true;
          c.transport.tlsEncryptBytesPerSec = 300e6;
          c.transport.tlsDecryptBytesPerSec = 1e12;
        }),
      ),
    );
  // One send thread per data page: zero-page check, copy and encrypt of the page, its offset and its
  // share of the packet header.
  const { host } = fullGuest(() => {});
  const pageBytes = 4096 + 8 + 320 / 128;
  const pageNs =
    host.dataPageScanNs + (pageBytes / host.sendCopyBytesPerSec) * 1e9 + (pageBytes / 300e6) * 1e9;
  const channel = (pageBytes / pageNs) * 1e9;
  // The bulk pass's rate: setup, handshakes and device state are the same for every channel count.
  const rate = (r: VariantResult) => {
    const bulk = r.passes[0]!;
    return bulk["transferred-bytes"] / ((bulk["end-ms"] - bulk["start-ms"]) / 1000);
  };
  const [one, two, three, five, six] = [1, 2, 3, 5, 6].map(run);
  assert.ok(relErr(rate(one!), channel) < 0.03, `1 channel: ${rate(one!)} vs ${channel}`);
  assert.ok(relErr(rate(two!), 2 * channel) < 0.03, `2 channels: ${rate(two!)}`);
  assert.ok(relErr(rate(three!), 3 * channel) < 0.03, `3 channels: ${rate(three!)}`);
  const link = tcpGoodputBytesPerSec(fullGuest(() => {}).network) / (1 + 22 / 16384);
  assert.ok(4 * channel < link && 5 * channel > link, "the link binds between four and five channels");
  assert.ok(relErr(rate(five!), link) < 0.03, `5 channels: ${rate(five!)} vs link ${link}`);
  assert.ok(relErr(rate(six!), rate(five!)) < 0.01, "more channels add nothing once the link binds");
  assert.ok(six!.cpu.threads["multifd-send-5"]! > 0 && six!.cpu.threads["multifd-recv-5"]! > 0);
});

e2e("rpc: stop-and-wait costs a round trip per message", () => {
  const rttNs = 2e6;
  const r = completed(
    runVariant(
      fullGuest((c) => {
        c.migration.transport = "rpc";
        c.network.rttNs = rttNs;
        c.network.socketBufferBytes = 64 * MiB;
        c.transport.rpcWindow = 1;
        c.transport.daemonTls = false;
      }),
    ),
  );
  const c = fullGuest(() => {});
  const messages = r.ram.transferred / (64 * 1024);
  const t = c.transport;
  const daemonNs = 2 * ((64 * 1024) / t.daemonCopyBytesPerSec) * 1e9 + 2 * t.daemonMessageNs;
  const wireNs = ((64 * 1024 + 28) / tcpGoodputBytesPerSec(c.network)) * 1e9;
  const expected = (messages * (rttNs + wireNs + 2 * daemonNs)) / 1e9;
  assert.ok(seconds(r) >= (messages * rttNs) / 1e9, "never faster than a round trip per message");
  assert.ok(relErr(seconds(r), expected) < 0.03, `${seconds(r)} s vs ${expected} s`);
  const forget = completed(
    runVariant(
      fullGuest((c) => {
        c.migration.transport = "rpc";
        c.network.rttNs = rttNs;
        c.network.socketBufferBytes = 64 * MiB;
        c.transport.rpcWindow = 0;
        c.transport.daemonTls = false;
      }),
    ),
  );
  assert.ok(seconds(forget) * 5 < seconds(r), "fire-and-forget does not wait");
});

e2e("tunnelled: slower than plain when the daemon's copy binds", () => {
  const daemonBound = (transport: "plain" | "tunnelled") =>
    completed(
      runVariant(
        fullGuest((c) => {
          c.migration.transport = transport;
          c.transport.daemonTls = false;
          c.transport.daemonCopyBytesPerSec = 300e6;
        }),
      ),
    );
  const plain = daemonBound("plain");
  const tunnelled = daemonBound("tunnelled");
  const messages = tunnelled.ram.transferred / (64 * 1024);
  const expected = tunnelled.ram.transferred / 300e6 + (messages * 5_000) / 1e9;
  assert.ok(relErr(seconds(tunnelled), expected) < 0.03, `${seconds(tunnelled)} s vs ${expected} s`);
  assert.ok(seconds(tunnelled) > 3 * seconds(plain));
  assert.ok(tunnelled.cpu.threads.libvirtd! > 0 && tunnelled.cpu.threads["libvirtd@destination"]! > 0);
});

/** Threads the destination runs; everything else in `cpu.threads` runs on the source. */
function onDestination(thread: string): boolean {
  return thread === "receive" || thread.startsWith("multifd-recv-") || thread.endsWith("@destination");
}

for (const transport of TRANSPORT_NAMES) {
  e2e(`CPU (${transport}): busy + idle = cores × elapsed on each host, no thread over elapsed`, () => {
    const r = completed(
      runVariant(
        simConfig({
          memoryBytes: GiB,
          workload: [{ kind: "boot", dataBytes: 512 * MiB }, uniformDirty(20 * MiB, 64 * MiB)],
          patch: (c) => {
            c.migration.transport = transport;
            c.host.cores = 4;
            c.transport.multifdChannels = 2;
          },
        }),
      ),
    );
    const elapsedMs = r["total-time"];
    const capacity = r.cpu.cores * elapsedMs;
    const threads = Object.entries(r.cpu.threads);
    for (const [thread, ms] of threads) {
      // `vcpus` is every vCPU thread of the guest together; each other entry is one thread.
      if (thread !== "vcpus") assert.ok(ms <= elapsedMs + 1, `${thread}: ${ms} ms in ${elapsedMs} ms`);
    }
    for (const [host, idle] of [
      ["source", r.cpu["host-idle-percent"]],
      ["destination", r.cpu["destination-idle-percent"]],
    ] as const) {
      const busy = threads
        .filter(([thread]) => onDestination(thread) === (host === "destination"))
        .reduce((sum, [, ms]) => sum + ms, 0);
      assert.ok(idle > 0 && idle < 100, `${host} idle ${idle}%`);
      // total-time is rounded to whole ms; allow for that on every core.
      assert.ok(
        Math.abs(busy + (idle / 100) * capacity - capacity) <= r.cpu.cores,
        `${host}: ${busy} ms busy`,
      );
    }
  });
}

e2e.run();
