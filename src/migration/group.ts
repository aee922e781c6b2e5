// Several guests migrating at once between the same two hosts. Each guest has its own migration (its own
// guest, bitmap, migration thread and streams); what they share is the fabric (the link, the hosts' cores,
// the daemons; see src/transport/shared-fabric.ts) and the hosts' CPU account. The migrations advance in
// lockstep: the one furthest behind in simulated time always takes the next step, so whenever a batch asks
// the fabric for its share, every other migration is at or past that instant and has said what it sends.

import type { RunHooks } from "../index.ts";
import type { MigrationStatus, Ns, SimConfig, VariantResult, VerificationResult } from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";
import { CpuAccount } from "../transport/cpu.ts";
import { SharedFabric } from "../transport/shared-fabric.ts";
import { Migration } from "./migration.ts";
import { buildResult, cpuStats } from "./result.ts";
import { between, type Counters, round3, Timeline } from "./timeline.ts";

/** Mismatching pages a result lists, all guests together (the verifier's own cap). */
const LISTED_MISMATCHES = 16;

export function simulateGroup(configs: readonly SimConfig[], hooks: RunHooks): VariantResult {
  const first = configs[0]!;
  const { host, network, simulation } = first;
  // One link as it is now: a guest's network event changes it for all.
  const link = structuredClone(network);
  const shared = {
    fabric: new SharedFabric(link, host.cores),
    cpu: new CpuAccount(host.cores),
    network: link,
  };
  const migrations = configs.map((config) => new Migration(config, hooks, shared));
  const startNs = Math.min(...migrations.map((m) => m.startNs));
  const timeline = new Timeline(startNs, simulation.sampleIntervalNs, host.cores);
  // A migration ahead of the one stepping has counted its latest batch whole; at `atNs` only the part up
  // to then had crossed, so its counters are taken between its latest step's start and its end.
  const stepStart = new Map<Migration, { atNs: Ns; c: Counters }>();
  const countersAt = (atNs: Ns): Counters => {
    const each = migrations.map((m) => {
      const now = m.counters();
      const start = stepStart.get(m);
      if (start === undefined || m.nowNs <= atNs || m.nowNs <= start.atNs) return now;
      return between(start.c, now, (atNs - start.atNs) / (m.nowNs - start.atNs));
    });
    return {
      transferredBytes: sum(each, (c) => c.transferredBytes),
      remainingPages: sum(each, (c) => c.remainingPages),
      sourceBusyNs: sum(each, (c) => c.sourceBusyNs),
      destinationBusyNs: sum(each, (c) => c.destinationBusyNs),
    };
  };

  for (const m of migrations) m.begin();
  for (;;) {
    let next: Migration | null = null;
    for (const m of migrations) if (m.running && (next === null || m.nowNs < next.nowNs)) next = m;
    if (next === null) break;
    // Guests due at the same instant say what they send before any of them computes its share, or the
    // first to go would take the whole link for a step while the others already use it.
    for (const m of migrations) if (m.running && m.nowNs === next.nowNs) m.announce();
    timeline.record(next.nowNs, countersAt(next.nowNs));
    stepStart.set(next, { atNs: next.nowNs, c: next.counters() });
    next.step();
  }

  const guests = migrations.map((m) => buildResult(m, m.config.guestName!));
  const endNs = Math.max(...migrations.map((m) => m.nowNs));
  return totals(first, guests, shared.cpu, timeline.finish(endNs, countersAt(endNs)), endNs - startNs);
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

/** The worst outcome decides: one failed guest fails the run; a cancelled one makes it cancelled. */
function worst(statuses: readonly MigrationStatus[]): MigrationStatus {
  if (statuses.includes("failed")) return "failed";
  return statuses.includes("cancelled") ? "cancelled" : "completed";
}

function totals(
  config: SimConfig,
  guests: VariantResult[],
  cpu: CpuAccount,
  timeline: VariantResult["timeline"],
  elapsedNs: Ns,
): VariantResult {
  const errors = guests
    .filter((g) => g["error-desc"] !== undefined)
    .map((g) => `${g.name}: ${g["error-desc"]}`);
  const transferred = sum(guests, (g) => g.ram.transferred);
  const ramSum = (key: "total" | "duplicate" | "normal" | "normal-bytes" | "dirty-sync-count") =>
    sum(guests, (g) => g.ram[key]);
  const verifications = guests.map((g) => g.verification);
  const verification: VerificationResult = {
    "checked-pages": sum(verifications, (v) => v["checked-pages"]),
    mismatches: sum(verifications, (v) => v.mismatches),
    "mismatched-pages": verifications.flatMap((v) => v["mismatched-pages"]).slice(0, LISTED_MISMATCHES),
    scope: verifications.every((v) => v.scope === "destination") ? "destination" : "source",
    "guest-running-on": verifications.some((v) => v["guest-running-on"] === "nowhere")
      ? "nowhere"
      : verifications.every((v) => v["guest-running-on"] === "destination")
        ? "destination"
        : "source",
  };
  const max = (of: (g: VariantResult) => number) => Math.max(...guests.map(of));
  return {
    name: config.variantName,
    status: worst(guests.map((g) => g.status)),
    ...(errors.length === 0 ? {} : { "error-desc": errors.join("; ") }),
    "total-time": Math.round(elapsedNs / NS_PER_MS),
    downtime: max((g) => g.downtime),
    "setup-time": max((g) => g["setup-time"]),
    "cpu-throttle-percentage": max((g) => g["cpu-throttle-percentage"]),
    ram: {
      transferred,
      total: ramSum("total"),
      duplicate: ramSum("duplicate"),
      normal: ramSum("normal"),
      "normal-bytes": ramSum("normal-bytes"),
      "dirty-sync-count": ramSum("dirty-sync-count"),
      "postcopy-requests": sum(guests, (g) => g.ram["postcopy-requests"]),
      "page-size": config.guest.pageSizeBytes,
      remaining: sum(guests, (g) => g.ram.remaining),
      "dirty-pages-rate": sum(guests, (g) => g.ram["dirty-pages-rate"]),
      mbps: elapsedNs > 0 ? round3((transferred * 8 * NS_PER_SEC) / elapsedNs / 1e6) : 0,
      "skipped-free": sum(guests, (g) => g.ram["skipped-free"]),
    },
    passes: [],
    timeline,
    cpu: cpuStats(cpu, elapsedNs),
    verification,
    guests,
  };
}
