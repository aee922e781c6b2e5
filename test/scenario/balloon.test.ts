import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { BalloonConfig, FaultConfig } from "../../src/model.ts";
import { parseScenario } from "../../src/scenario/parse.ts";
import { scenarioProblems } from "../helpers/scenario.ts";

/** The problem lines a text produces (the error's message), or [] when it parses. */
const problems = (text: string) => scenarioProblems(text, "b.yaml");

const MiB = 2 ** 20;

const HEAD = `name: b
guest: { memory: 8GiB }
workload:
  - boot: { data: 400MB }
  - idle: {}
`;

const DEFAULT_BALLOON: BalloonConfig = {
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
};

const NO_FAULTS: FaultConfig = { hintsAfterSync: false, hintsClearDirtyLog: false, lazyDirtyLogClear: false };

const resolution = suite("balloon: resolution");

resolution("without balloon or faults: hinting and reporting off, Linux's and QEMU's constants", () => {
  const [config] = parseScenario(HEAD, "b.yaml").configs;
  assert.equal(config?.balloon, DEFAULT_BALLOON);
  assert.equal(config?.faults, NO_FAULTS);
});

resolution("every balloon field and fault resolves to exact numbers", () => {
  const text = `${HEAD}balloon:
  free-page-hint: true
  free-page-reporting: true
  hint-block: 1MiB
  hint-block-cost: 2.5us
  config-latency: 1ms
  virtqueue-size: 64
  iothread-latency: 10us
  hint-cost: 250ns
  reporting-block: 4MiB
  reporting-delay: 1.5s
  reporting-capacity: 1024
  discard-cost: 0ns
faults:
  hints-after-sync: true
  lazy-dirty-log-clear: true
`;
  const [config] = parseScenario(text, "b.yaml").configs;
  assert.equal(config?.balloon, {
    freePageHint: true,
    freePageReporting: true,
    hintBlockBytes: MiB,
    hintBlockGuestNs: 2500,
    configLatencyNs: 1e6,
    virtqueueSize: 64,
    iothreadLatencyNs: 10e3,
    hintHostNs: 250,
    reportingBlockBytes: 4 * MiB,
    reportingDelayNs: 1.5e9,
    reportingCapacity: 1024,
    discardNsPerPage: 0,
  });
  assert.equal(config?.faults, { hintsAfterSync: true, hintsClearDirtyLog: false, lazyDirtyLogClear: true });
});

resolution("a partial section keeps the other defaults; blocks may span 1 to 1024 pages", () => {
  const text = `name: b
guest: { memory: 8GiB, page-size: 2MiB }
workload: []
balloon: { free-page-hint: true, hint-block: 2GiB, reporting-block: 2MiB }
`;
  const [config] = parseScenario(text, "b.yaml").configs;
  assert.equal(config?.balloon, {
    ...DEFAULT_BALLOON,
    freePageHint: true,
    hintBlockBytes: 2048 * MiB,
    reportingBlockBytes: 2 * MiB,
  });
});

resolution("variants turn hinting on, and faults with it, over the base's balloon", () => {
  const text = `${HEAD}balloon: { virtqueue-size: 128 }
variants:
  - name: hinting-off
  - name: hinting-on
    set: { balloon: { free-page-hint: true } }
  - name: hints-after-sync
    set:
      balloon: { free-page-hint: true }
      faults: { hints-after-sync: true }
`;
  const { configs } = parseScenario(text, "b.yaml");
  assert.equal(
    configs.map((c) => [c.variantName, c.balloon.freePageHint, c.faults.hintsAfterSync]),
    [
      ["hinting-off", false, false],
      ["hinting-on", true, false],
      ["hints-after-sync", true, true],
    ],
  );
  // The base's override survives the merge; the rest are defaults.
  assert.equal(
    configs.map((c) => c.balloon),
    [
      { ...DEFAULT_BALLOON, virtqueueSize: 128 },
      { ...DEFAULT_BALLOON, virtqueueSize: 128, freePageHint: true },
      { ...DEFAULT_BALLOON, virtqueueSize: 128, freePageHint: true },
    ],
  );
});

const errors = suite("balloon: errors");

errors("a misspelt key, in the base or in a variant's set, at its own line", () => {
  const text = `${HEAD}balloon:
  free-page-hints: true
faults: { hint-after-sync: true }
variants:
  - name: a
    set: { balloon: { free-page-hnt: true } }
`;
  assert.equal(problems(text), [
    "b.yaml:7:3: balloon.free-page-hints: got true; expected no such field (did you mean free-page-hint? allowed: " +
      "free-page-hint, free-page-reporting, hint-block, hint-block-cost, config-latency, virtqueue-size, " +
      "iothread-latency, hint-cost, reporting-block, reporting-delay, reporting-capacity, discard-cost)",
    "b.yaml:8:11: faults.hint-after-sync: got true; expected no such field (did you mean hints-after-sync? " +
      "allowed: hints-after-sync, hints-clear-dirty-log, lazy-dirty-log-clear)",
    "b.yaml:11:23: variants[0].set.balloon.free-page-hnt: got true; expected no such field (did you mean " +
      "free-page-hint? allowed: free-page-hint, free-page-reporting, hint-block, hint-block-cost, config-latency, " +
      "virtqueue-size, iothread-latency, hint-cost, reporting-block, reporting-delay, reporting-capacity, discard-cost)",
  ]);
});

errors("QEMU's on is not a boolean; units and ranges as elsewhere", () => {
  const text = `${HEAD}balloon:
  free-page-hint: on
  hint-block-cost: 2
  hint-block: 4 MiB
  virtqueue-size: 65536
  reporting-capacity: 0
`;
  assert.equal(problems(text), [
    'b.yaml:7:19: balloon.free-page-hint: got "on"; expected true or false',
    'b.yaml:8:20: balloon.hint-block-cost: got 2; expected a duration like "300ms" or "1.5s"',
    'b.yaml:9:15: balloon.hint-block: got "4 MiB"; expected a size like "8GiB" or "400MB"',
    "b.yaml:10:19: balloon.virtqueue-size: got 65536; expected an integer from 2 to 32768",
    "b.yaml:11:23: balloon.reporting-capacity: got 0; expected an integer from 1 to 1024",
  ]);
});

errors("virtqueue-size is a power of two", () => {
  assert.equal(problems(`${HEAD}balloon: { virtqueue-size: 1000 }\n`), [
    "b.yaml:6:28: balloon.virtqueue-size: got 1000; expected a power of two from 2 to 32768 (virtio's queue sizes)",
  ]);
});

errors("blocks are powers of two from page-size to 1024 pages, checked even with the feature off", () => {
  const text = `${HEAD}balloon:
  hint-block: 3MiB
  reporting-block: 2KiB
variants:
  - name: a
    set: { balloon: { hint-block: 8MiB, reporting-block: 6KB } }
`;
  const range =
    "a power of two from 4KiB (page-size) to 4MiB (1024 pages, the buddy allocator's MAX_ORDER-1)";
  assert.equal(problems(text), [
    `b.yaml:7:15: balloon.hint-block: got "3MiB"; expected ${range}`,
    `b.yaml:8:20: balloon.reporting-block: got "2KiB"; expected ${range}`,
    `b.yaml:11:35: variants[0].set.balloon.hint-block: got "8MiB"; expected ${range}`,
    `b.yaml:11:58: variants[0].set.balloon.reporting-block: got "6KB"; expected ${range}`,
  ]);
});

errors("a default block below a large page size is an error only when the feature is on", () => {
  const text = `name: b
guest: { memory: 8GiB, page-size: 1GiB }
workload: []
variants:
  - name: off
  - name: on
    set:
      balloon: { free-page-hint: true, free-page-reporting: true }
`;
  const range =
    "a power of two from 1GiB (page-size) to 1TiB (1024 pages, the buddy allocator's MAX_ORDER-1)";
  assert.equal(problems(text), [
    `b.yaml:8:7: variants[1].set.balloon.hint-block: got "4MiB"; expected ${range} (4MiB is the default; set balloon.hint-block)`,
    `b.yaml:8:7: variants[1].set.balloon.reporting-block: got "2MiB"; expected ${range} (2MiB is the default; set balloon.reporting-block)`,
  ]);
});

errors("a fault needs free-page hinting, in the base or in a variant that turns it off", () => {
  const text = `${HEAD}faults:
  hints-after-sync: true
  hints-clear-dirty-log: false
  lazy-dirty-log-clear: true
`;
  const expected = "expected false unless balloon.free-page-hint is on (the fault is in free-page hinting)";
  assert.equal(problems(text), [
    `b.yaml:7:21: faults.hints-after-sync: got true; ${expected}`,
    `b.yaml:9:25: faults.lazy-dirty-log-clear: got true; ${expected}`,
  ]);
  const variant = `${HEAD}balloon: { free-page-hint: true }
faults: { hints-clear-dirty-log: true }
variants:
  - name: faulty
  - name: hinting-off
    set: { balloon: { free-page-hint: false } }
  - name: own-fault
    set: { balloon: { free-page-hint: false }, faults: { hints-clear-dirty-log: true } }
`;
  assert.equal(problems(variant), [
    `b.yaml:11:10: variants[1].set.faults.hints-clear-dirty-log: got true; ${expected}`,
    `b.yaml:13:81: variants[2].set.faults.hints-clear-dirty-log: got true; ${expected}`,
  ]);
});

resolution.run();
errors.run();
