// A complete SimConfig built in code, for core tests that must not depend on the scenario loader.

import type { SimConfig, WorkloadStep } from "../../src/model.ts";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const MS = 1_000_000;

export function simConfig(
  overrides: {
    memoryBytes?: number;
    workload?: WorkloadStep[];
    seed?: number;
    patch?: (c: SimConfig) => void;
  } = {},
): SimConfig {
  const c: SimConfig = {
    scenarioName: "test",
    variantName: "base",
    guestName: null,
    seed: overrides.seed ?? 1,
    guest: {
      memoryBytes: overrides.memoryBytes ?? 1 * GiB,
      pageSizeBytes: 4096,
      vcpus: 2,
      deviceStateBytes: 512 * 1024,
    },
    workload: overrides.workload ?? [
      { kind: "boot", dataBytes: 100 * MiB },
      { kind: "idle", durationNs: null },
    ],
    host: {
      cores: 8,
      zeroPageScanNs: 800,
      dataPageScanNs: 40,
      pageOverheadNs: 100,
      sendCopyBytesPerSec: 8 * GiB,
      receiveCopyBytesPerSec: 6 * GiB,
      receiveZeroPageNs: 50,
      bitmapSyncNsPerPage: 2,
      dirtyLogStartNsPerPage: 10,
      setupFixedNs: 20 * MS,
      deviceStateNs: 30 * MS,
    },
    network: {
      bandwidthBytesPerSec: 1.25e9,
      rttNs: 100_000,
      mtuBytes: 1500,
      frameOverheadBytes: 38,
      tcpIpHeaderBytes: 52,
      socketBufferBytes: 4 * MiB,
      packetLossRate: 0,
      tcpTimeoutNs: 924.6e9,
    },
    transport: {
      tlsEncryptBytesPerSec: 300e6,
      tlsDecryptBytesPerSec: 300e6,
      tlsHandshakeNs: 2 * MS,
      tlsHandshakeRtts: 1,
      tlsRecordOverheadBytes: 22,
      daemonCopyBytesPerSec: 2e9,
      daemonMessageNs: 5_000,
      rpcMessageBytes: 64 * 1024,
      rpcHeaderBytes: 28,
      daemonTls: true,
      daemonKeepaliveIntervalNs: 5e9,
      daemonKeepaliveCount: 5,
      rpcWindow: 1,
      multifdChannels: 2,
      multifdPacketBytes: 512 * 1024,
      multifdHandoffNs: 2_000,
      multifdTls: false,
      multifdCompression: { method: "none" },
    },
    migration: {
      startNs: 1000 * MS,
      transport: "plain",
      capabilities: { "auto-converge": false, "postcopy-ram": false, "postcopy-preempt": false },
      parameters: {
        maxBandwidthBytesPerSec: 1.25e9,
        downtimeLimitNs: 300 * MS,
        cpuThrottleInitial: 20,
        cpuThrottleIncrement: 10,
        maxCpuThrottle: 99,
        throttleTriggerThreshold: 50,
      },
      maxPasses: 30,
    },
    balloon: {
      freePageHint: false,
      freePageReporting: false,
      hintBlockBytes: 4 * MiB,
      hintBlockGuestNs: 2_000,
      configLatencyNs: 100_000,
      virtqueueSize: 1024,
      iothreadLatencyNs: 50_000,
      hintHostNs: 1_000,
      reportingBlockBytes: 2 * MiB,
      reportingDelayNs: 2_000 * MS,
      reportingCapacity: 32,
      discardNsPerPage: 50,
    },
    faults: { hintsAfterSync: false, hintsClearDirtyLog: false, lazyDirtyLogClear: false },
    postcopy: {
      switchAfterPasses: null,
      switchWhenStuck: false,
      freePagePolicy: "zero-markers",
      localFaultNs: 2_000,
      placePageNs: 1_000,
      requestNs: 1_000,
      recoveryRtts: 3,
    },
    commands: [],
    simulation: {
      maxStepNs: 10 * MS,
      maxStepPages: 65536,
      maxMigrationNs: 3600 * 1000 * MS,
      sampleIntervalNs: 100 * MS,
    },
    expect: null,
  };
  overrides.patch?.(c);
  return c;
}

/** A job writing a working set of its own in a random-order sweep, on one vCPU, until the end. */
export function uniformDirty(rateBytesPerSec: number, workingSetBytes: number): WorkloadStep {
  return {
    kind: "dirty",
    rateBytesPerSec,
    workingSetBytes,
    over: null,
    name: null,
    pattern: { kind: "uniform" },
    durationNs: null,
    threads: 1,
  };
}

/**
 * A guest of `memoryBytes` full of data and idle while migrating, max-bandwidth out of the way: every page
 * goes whole and nothing is re-sent, so the bytes are known and the transport alone sets the time.
 */
export function fullGuest(patch: (c: SimConfig) => void = () => {}, memoryBytes = GiB): SimConfig {
  return simConfig({
    memoryBytes,
    workload: [
      { kind: "boot", dataBytes: memoryBytes },
      { kind: "idle", durationNs: null },
    ],
    patch: (c) => {
      c.migration.parameters.maxBandwidthBytesPerSec = 1e15;
      patch(c);
    },
  });
}
