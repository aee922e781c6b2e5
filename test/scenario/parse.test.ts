import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { SimConfig } from "../../src/model.ts";
import { parseScenario } from "../../src/scenario/parse.ts";

const FULL = `name: full
description: every field set
seed: 42
guest:
  memory: 16GiB
  page-size: 2MiB
  vcpus: 8
  device-state: 1MiB
workload:
  - boot: { data: 400MB }
  - touch: { size: 2GiB, name: job, rate: 2GiB/s }
  - free: { name: job, size: 1GiB }
  - free: { size: 512MiB }
  - idle: { for: 1s }
  - dirty: { rate: 120MiB/s, working-set: 1GiB, pattern: hot-cold, hot-set: 10%, hot-writes: 90%, for: 60s, name: ws, threads: 2 }
  - dirty: { rate: 10MB/s, over: ws, pattern: sequential, for: 500ms }
  - free: { name: ws }
  - idle: {}
host:
  cores: 16
  zero-page-scan: 700ns
  data-page-scan: 30ns
  page-overhead: 90ns
  send-copy-rate: 4GiB/s
  receive-copy-rate: 3GiB/s
  receive-zero-page: 40ns
  bitmap-sync-per-page: 3ns
  dirty-log-start-per-page: 11ns
  setup-fixed: 25ms
  device-state-time: 35ms
network:
  bandwidth: 1Gbit/s
  rtt: 200us
  mtu: 9000
  frame-overhead: 40
  tcp-ip-header: 60
  socket-buffer: 8MiB
transport:
  tls-encrypt-rate: 1GB/s
  tls-decrypt-rate: 1.2GB/s
  tls-handshake: 3ms
  tls-handshake-rtts: 2
  tls-record-overhead: 29
  daemon-copy-rate: 1GB/s
  daemon-message-cost: 8us
  rpc-message-size: 256KiB
  rpc-header: 24
  daemon-tls: false
  rpc-window: 4
  multifd-channels: 8
  multifd-packet-size: 4MiB
  multifd-handoff: 3us
  multifd-tls: true
  multifd-compression: zstd
  compression-ratio: 2.5
  compress-rate: 400MB/s
migration:
  start: 2.5s
  transport: plain
  capabilities: { auto-converge: true }
  parameters:
    max-bandwidth: 1Gbit/s
    downtime-limit: 500ms
    cpu-throttle-initial: 30
    cpu-throttle-increment: 5
    max-cpu-throttle: 90
    throttle-trigger-threshold: 60
  max-passes: 12
balloon:
  free-page-hint: true
  free-page-reporting: true
  hint-block: 8MiB
  hint-block-cost: 3us
  config-latency: 150us
  virtqueue-size: 256
  iothread-latency: 20us
  hint-cost: 1.5us
  reporting-block: 4MiB
  reporting-delay: 500ms
  reporting-capacity: 16
  discard-cost: 60ns
faults:
  hints-after-sync: true
  hints-clear-dirty-log: true
  lazy-dirty-log-clear: true
commands:
  - { at: 8s, migrate_cancel: {} }
  - { at: 5s, migrate-set-parameters: { downtime-limit: 1s, max-bandwidth: 100MB/s } }
  - { at: 5s, migrate-set-parameters: { cpu-throttle-increment: 20 } }
simulation:
  max-step: 5ms
  max-step-pages: 1024
  max-migration-time: 10min
  sample-interval: 50ms
expect:
  total-time: 1894ms
  transferred: 398017KiB
  downtime: 50ms
`;

const GiB = 2 ** 30;
const MiB = 2 ** 20;

const FULL_CONFIG: SimConfig = {
  scenarioName: "full",
  variantName: "base",
  guestName: null,
  seed: 42,
  guest: { memoryBytes: 16 * GiB, pageSizeBytes: 2 * MiB, vcpus: 8, deviceStateBytes: MiB },
  workload: [
    { kind: "boot", dataBytes: 400e6 },
    { kind: "touch", bytes: 2 * GiB, name: "job", rateBytesPerSec: 2 * GiB },
    { kind: "free", name: "job", bytes: GiB },
    { kind: "free", name: null, bytes: 512 * MiB },
    { kind: "idle", durationNs: 1e9 },
    {
      kind: "dirty",
      rateBytesPerSec: 120 * MiB,
      workingSetBytes: GiB,
      over: null,
      name: "ws",
      pattern: { kind: "hot-cold", hotFraction: 0.1, hotWriteFraction: 0.9 },
      durationNs: 60e9,
      threads: 2,
    },
    {
      kind: "dirty",
      rateBytesPerSec: 10e6,
      workingSetBytes: null,
      over: "ws",
      name: null,
      pattern: { kind: "sequential" },
      durationNs: 500e6,
      threads: 1,
    },
    { kind: "free", name: "ws", bytes: null },
    { kind: "idle", durationNs: null },
  ],
  host: {
    cores: 16,
    zeroPageScanNs: 700,
    dataPageScanNs: 30,
    pageOverheadNs: 90,
    sendCopyBytesPerSec: 4 * GiB,
    receiveCopyBytesPerSec: 3 * GiB,
    receiveZeroPageNs: 40,
    bitmapSyncNsPerPage: 3,
    dirtyLogStartNsPerPage: 11,
    setupFixedNs: 25e6,
    deviceStateNs: 35e6,
  },
  network: {
    bandwidthBytesPerSec: 125e6,
    rttNs: 200e3,
    mtuBytes: 9000,
    frameOverheadBytes: 40,
    tcpIpHeaderBytes: 60,
    socketBufferBytes: 8 * MiB,
    packetLossRate: 0,
    tcpTimeoutNs: 924.6e9,
  },
  transport: {
    tlsEncryptBytesPerSec: 1e9,
    tlsDecryptBytesPerSec: 1.2e9,
    tlsHandshakeNs: 3e6,
    tlsHandshakeRtts: 2,
    tlsRecordOverheadBytes: 29,
    daemonCopyBytesPerSec: 1e9,
    daemonMessageNs: 8000,
    rpcMessageBytes: 256 * 1024,
    rpcHeaderBytes: 24,
    daemonTls: false,
    daemonKeepaliveIntervalNs: 5e9,
    daemonKeepaliveCount: 5,
    rpcWindow: 4,
    multifdChannels: 8,
    multifdPacketBytes: 4 * MiB,
    multifdHandoffNs: 3000,
    multifdTls: true,
    // The decompress rate is not given: zstd's default.
    multifdCompression: {
      method: "zstd",
      ratio: 2.5,
      compressBytesPerSec: 400e6,
      decompressBytesPerSec: 1360e6,
    },
  },
  migration: {
    startNs: 2.5e9,
    transport: "plain",
    capabilities: { "auto-converge": true, "postcopy-ram": false, "postcopy-preempt": false },
    parameters: {
      maxBandwidthBytesPerSec: 125e6,
      downtimeLimitNs: 500e6,
      cpuThrottleInitial: 30,
      cpuThrottleIncrement: 5,
      maxCpuThrottle: 90,
      throttleTriggerThreshold: 60,
    },
    maxPasses: 12,
  },
  balloon: {
    freePageHint: true,
    freePageReporting: true,
    hintBlockBytes: 8 * MiB,
    hintBlockGuestNs: 3000,
    configLatencyNs: 150e3,
    virtqueueSize: 256,
    iothreadLatencyNs: 20e3,
    hintHostNs: 1500,
    reportingBlockBytes: 4 * MiB,
    reportingDelayNs: 500e6,
    reportingCapacity: 16,
    discardNsPerPage: 60,
  },
  faults: { hintsAfterSync: true, hintsClearDirtyLog: true, lazyDirtyLogClear: true },
  postcopy: {
    switchAfterPasses: null,
    switchWhenStuck: false,
    freePagePolicy: "zero-markers",
    localFaultNs: 2_000,
    placePageNs: 1_000,
    requestNs: 1_000,
    recoveryRtts: 3,
  },
  commands: [
    {
      atNs: 5e9,
      kind: "migrate-set-parameters",
      parameters: { downtimeLimitNs: 1e9, maxBandwidthBytesPerSec: 100e6 },
    },
    { atNs: 5e9, kind: "migrate-set-parameters", parameters: { cpuThrottleIncrement: 20 } },
    { atNs: 8e9, kind: "migrate_cancel" },
  ],
  simulation: { maxStepNs: 5e6, maxStepPages: 1024, maxMigrationNs: 600e9, sampleIntervalNs: 50e6 },
  expect: { totalTimeMs: 1894, transferredKiB: 398017, downtimeMs: 50 },
};

const MINIMAL = `name: minimal
guest: { memory: 8GiB }
workload:
  - boot: { data: 400MB }
  - idle: {}
`;

const resolution = suite("parse: resolution");

resolution("a file with every field resolves to exact numbers", () => {
  const { file, configs } = parseScenario(FULL, "full.yaml");
  assert.equal(configs, [FULL_CONFIG]);
  assert.is(file.name, "full");
  assert.is(file.guest["page-size"], "2MiB");
});

resolution("defaults fill everything a file leaves out", () => {
  const [config] = parseScenario(MINIMAL, "minimal.yaml").configs;
  assert.ok(config);
  assert.equal(config, {
    scenarioName: "minimal",
    variantName: "base",
    guestName: null,
    seed: 1,
    guest: { memoryBytes: 8 * GiB, pageSizeBytes: 4096, vcpus: 1, deviceStateBytes: 512 * 1024 },
    workload: [
      { kind: "boot", dataBytes: 400e6 },
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
      setupFixedNs: 20e6,
      deviceStateNs: 30e6,
    },
    network: {
      bandwidthBytesPerSec: 1.25e9,
      rttNs: 100e3,
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
      tlsHandshakeNs: 2e6,
      tlsHandshakeRtts: 1,
      tlsRecordOverheadBytes: 22,
      daemonCopyBytesPerSec: 2e9,
      daemonMessageNs: 5000,
      rpcMessageBytes: 64 * 1024,
      rpcHeaderBytes: 28,
      daemonTls: true,
      daemonKeepaliveIntervalNs: 5e9,
      daemonKeepaliveCount: 5,
      rpcWindow: 1,
      multifdChannels: 2,
      multifdPacketBytes: 512 * 1024,
      multifdHandoffNs: 2000,
      multifdTls: false,
      multifdCompression: { method: "none" },
    },
    migration: {
      startNs: 1e9,
      transport: "plain",
      capabilities: { "auto-converge": false, "postcopy-ram": false, "postcopy-preempt": false },
      parameters: {
        maxBandwidthBytesPerSec: 128 * MiB,
        downtimeLimitNs: 300e6,
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
      hintBlockGuestNs: 2000,
      configLatencyNs: 100e3,
      virtqueueSize: 1024,
      iothreadLatencyNs: 50e3,
      hintHostNs: 1000,
      reportingBlockBytes: 2 * MiB,
      reportingDelayNs: 2e9,
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
    simulation: { maxStepNs: 50e6, maxStepPages: 65536, maxMigrationNs: 3600e9, sampleIntervalNs: 100e6 },
    expect: null,
  });
});

resolution("a dirty step without pattern is uniform with one thread", () => {
  const text = `name: d
guest: { memory: 4GiB, vcpus: 2 }
workload:
  - dirty: { rate: 1GiB/s, working-set: 1GiB }
`;
  const [config] = parseScenario(text, "d.yaml").configs;
  assert.equal(config?.workload, [
    {
      kind: "dirty",
      rateBytesPerSec: GiB,
      workingSetBytes: GiB,
      over: null,
      name: null,
      pattern: { kind: "uniform" },
      durationNs: null,
      threads: 1,
    },
  ]);
});

resolution("an empty workload is allowed (a guest whose memory stays zero)", () => {
  const [config] = parseScenario("name: e\nguest: { memory: 1GiB }\nworkload: []\n", "e.yaml").configs;
  assert.equal(config?.workload, []);
});

resolution("a $schema key for editors is accepted", () => {
  const text = `{"$schema": "../scenario.schema.json", "name": "j", "guest": {"memory": "1GiB"}, "workload": []}`;
  assert.is(parseScenario(text, "j.json").configs.length, 1);
});

const json = suite("parse: JSON input");

json("a JSON file resolves like the same YAML", () => {
  const text = JSON.stringify({
    name: "minimal",
    guest: { memory: "8GiB" },
    workload: [{ boot: { data: "400MB" } }, { idle: {} }],
  });
  assert.equal(parseScenario(text, "m.json").configs, parseScenario(MINIMAL, "m.yaml").configs);
});

const seeds = suite("parse: seeds and determinism");

seeds("the file's seed, else 1; opts.seed overrides both", () => {
  assert.is(parseScenario(MINIMAL, "m.yaml").configs[0]?.seed, 1);
  assert.is(parseScenario(FULL, "f.yaml").configs[0]?.seed, 42);
  assert.is(parseScenario(FULL, "f.yaml", { seed: 7 }).configs[0]?.seed, 7);
  assert.is(parseScenario(MINIMAL, "m.yaml", { seed: 0 }).configs[0]?.seed, 0);
});

seeds("opts.seed overrides a variant's own seed too", () => {
  const text = `${MINIMAL}variants:\n  - name: a\n    set: { seed: 5 }\n  - name: b\n`;
  assert.equal(
    parseScenario(text, "v.yaml").configs.map((c) => c.seed),
    [5, 1],
  );
  assert.equal(
    parseScenario(text, "v.yaml", { seed: 9 }).configs.map((c) => c.seed),
    [9, 9],
  );
});

seeds("a bad seed override is a problem, not a silent default", () => {
  try {
    parseScenario(MINIMAL, "m.yaml", { seed: -1 });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.is((error as Error).message, "m.yaml:0:0: seed override: got -1; expected an integer >= 0");
  }
});

seeds("the same text gives deeply equal configs, every time", () => {
  const a = parseScenario(FULL, "f.yaml");
  const b = parseScenario(FULL, "f.yaml");
  assert.equal(a, b);
  assert.is(JSON.stringify(a), JSON.stringify(b));
});

seeds("configs do not share objects (one variant's change cannot leak into another)", () => {
  const text = `${MINIMAL}variants:\n  - name: a\n  - name: b\n`;
  const [a, b] = parseScenario(text, "v.yaml").configs;
  assert.ok(a && b);
  assert.is.not(a.guest, b.guest);
  assert.is.not(a.workload, b.workload);
  a.guest.vcpus = 99;
  assert.is(b.guest.vcpus, 1);
});

resolution.run();
json.run();
seeds.run();
