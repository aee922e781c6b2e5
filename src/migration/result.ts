// Turns a finished migration into query-migrate's shape: QEMU's names and units (bytes, ms), plus what
// QEMU lacks (per-pass records, CPU per thread, the verifier's verdict). Numbers are rounded here, once,
// so the JSON is stable and byte-identical for the same scenario and seed.

import type { Comparison, CpuStats, Expectation, Ns, VariantResult } from "../model.ts";
import { NS_PER_MS, NS_PER_SEC } from "../model.ts";
import type { CpuAccount } from "../transport/cpu.ts";
import type { Migration } from "./migration.ts";
import { round3 } from "./timeline.ts";
import { verifyDestination, verifySource } from "./verifier.ts";

const ms = (ns: Ns) => Math.round(ns / NS_PER_MS);

/** The result of one migration, named `name`: its variant's, or its guest's when it migrated with others. */
export function buildResult(m: Migration, name = m.config.variantName): VariantResult {
  const { stats, config } = m;
  const status =
    m.phase === "completed" || m.phase === "cancelled" || m.phase === "failed" ? m.phase : "failed";
  const elapsedNs = m.nowNs - m.startNs;
  const pageSize = m.pageSizeBytes;
  const result: VariantResult = {
    name,
    status,
    ...(m.errorDesc === undefined ? {} : { "error-desc": m.errorDesc }),
    "total-time": ms(elapsedNs),
    downtime: m.stoppedNs === null ? 0 : ms((m.resumedNs ?? m.nowNs) - m.stoppedNs),
    "setup-time": m.setupDoneNs === null ? ms(elapsedNs) : ms(m.setupDoneNs - m.startNs),
    "cpu-throttle-percentage": Math.round(m.autoConverge.throttle * 100),
    ram: {
      transferred: stats.transferredBytes,
      total: m.memory.totalPages * pageSize,
      duplicate: stats.zeroPages,
      normal: stats.normalPages,
      "normal-bytes": stats.normalPages * pageSize,
      "dirty-sync-count": stats.dirtySyncCount,
      "postcopy-requests": stats.postcopyRequests,
      "page-size": pageSize,
      remaining: m.ram?.dirtyPages ?? 0,
      "dirty-pages-rate": stats.dirtyPagesRate,
      mbps: elapsedNs > 0 ? round3((stats.transferredBytes * 8 * NS_PER_SEC) / elapsedNs / 1e6) : 0,
      "skipped-free": stats.skippedFreePages,
    },
    passes: m.passes.map((p) => ({ ...p, "start-ms": round3(p["start-ms"]), "end-ms": round3(p["end-ms"]) })),
    timeline: m.timeline.finish(m.nowNs, m.counters()),
    cpu: cpuStats(m.cpu, elapsedNs),
    verification:
      status === "completed"
        ? verifyDestination(m.memory, m.destination)
        : verifySource(m.memory, m.guestRunningOnSource ? "source" : "nowhere"),
  };
  const resolver = m.resolver;
  if (resolver !== null) {
    const marks = m.postcopyMarks;
    const v = result.verification;
    v["corrupted-reads"] = resolver.corruptedReads;
    v.mismatches += resolver.corruptedReads;
    v["mismatched-pages"] = [...resolver.corrupted, ...v["mismatched-pages"]].slice(0, 16);
    result.postcopy = {
      "free-page-policy": config.postcopy.freePagePolicy,
      "switch-ms": ms(m.stoppedNs! - m.startNs),
      "end-ms": ms(elapsedNs),
      "discarded-pages": marks.discardedPages,
      "zero-marker-pages": marks.zeroMarkerPages,
      faults: { requested: resolver.requested, local: resolver.local, refused: resolver.refused },
      "fault-latency-ms": resolver.latencies.percentilesMs(),
      "postcopy-blocktime": ms(resolver.allBlockedNs()),
      "postcopy-vcpu-blocktime": Array.from(resolver.vcpuBlockedNs, (ns) => ms(ns)),
      "blocktime-by-cause-ms": {
        requested: ms(resolver.blockedByCause.requested),
        local: ms(resolver.blockedByCause.local),
        refused: ms(resolver.blockedByCause.refused),
      },
      "precopy-bytes": marks.bytesAtSwitch,
      "downtime-bytes": marks.bytesAtResume - marks.bytesAtSwitch,
      "postcopy-bytes": stats.transferredBytes - marks.bytesAtResume,
      pauses: marks.pauses,
    };
  }
  const stop = m.interruption;
  if (stop !== null && status !== "completed") {
    const { host, channel, layer } = stop.breakage;
    result.interruption = {
      cause: stop.cause,
      "event-ms": round3((stop.eventNs - m.startNs) / NS_PER_MS),
      "status-ms": round3(elapsedNs / NS_PER_MS),
      "latency-ms": round3((m.nowNs - stop.eventNs) / NS_PER_MS),
      host,
      channel,
      layer,
      "wasted-bytes": Math.round(stats.transferredBytes + stats.deviceStateBytes),
      "discarded-pages": m.discardedPages,
    };
  }
  if (config.expect !== null) result.expect = compare(config.expect, result);
  return result;
}

export function cpuStats(cpu: CpuAccount, elapsedNs: Ns): CpuStats {
  return {
    cores: cpu.cores,
    "host-idle-percent": round3(cpu.idlePercent("source", elapsedNs)),
    "destination-idle-percent": round3(cpu.idlePercent("destination", elapsedNs)),
    threads: Object.fromEntries(cpu.threads().map(([thread, ns]) => [thread, round3(ns / NS_PER_MS)])),
  };
}

function cell(published: number | null, model: number) {
  if (published === null) return null;
  return { published, model, "error-percent": round3(((model - published) / published) * 100) };
}

function compare(expect: Expectation, r: VariantResult): Comparison {
  return {
    "total-time": cell(expect.totalTimeMs, r["total-time"]),
    "transferred-kb": cell(expect.transferredKiB, Math.round(r.ram.transferred / 1024)),
    downtime: cell(expect.downtimeMs, r.downtime),
  };
}
