import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mergeOverrides } from "../../src/scenario/merge.ts";
import { parseScenario } from "../../src/scenario/parse.ts";
import { scenarioProblems } from "../helpers/scenario.ts";

const problems = (text: string) => scenarioProblems(text, "v.yaml");

const BASE = `name: base-test
guest:
  memory: 8GiB
  vcpus: 4
workload:
  - boot: { data: 400MB }
  - idle: {}
network:
  bandwidth: 10Gbit/s
  rtt: 100us
`;

const merge = suite("variants: merge");

merge("mappings merge key by key; lists and values replace", () => {
  const base = { a: { b: 1, c: [1, 2] }, d: "x", e: { f: { g: 1, h: 2 } } };
  const merged = mergeOverrides(base, { a: { c: [3] }, d: "y", e: { f: { h: 3 } }, n: 1 });
  assert.equal(merged, { a: { b: 1, c: [3] }, d: "y", e: { f: { g: 1, h: 3 } }, n: 1 });
  assert.equal(base, { a: { b: 1, c: [1, 2] }, d: "x", e: { f: { g: 1, h: 2 } } });
});

const resolve = suite("variants: resolution");

resolve("one config per variant, in file order, overrides applied deeply", () => {
  const text = `${BASE}variants:
  - name: original
  - name: slow-link
    set: { network: { bandwidth: 1Gbit/s } }
  - name: busy
    description: a guest that writes
    set:
      workload:
        - dirty: { rate: 120MiB/s, working-set: 1GiB }
    expect: { total-time: 10s }
`;
  const { configs } = parseScenario(text, "v.yaml");
  assert.equal(
    configs.map((c) => c.variantName),
    ["original", "slow-link", "busy"],
  );
  assert.equal(
    configs.map((c) => c.network.bandwidthBytesPerSec),
    [1.25e9, 125e6, 1.25e9],
  );
  // The other network fields come from the base, not from defaults.
  assert.equal(
    configs.map((c) => c.network.rttNs),
    [100e3, 100e3, 100e3],
  );
  assert.equal(
    configs.map((c) => c.workload.map((s) => s.kind)),
    [["boot", "idle"], ["boot", "idle"], ["dirty"]],
  );
  assert.equal(
    configs.map((c) => c.expect),
    [null, null, { totalTimeMs: 10000, transferredKiB: null, downtimeMs: null }],
  );
  assert.ok(configs.every((c) => c.scenarioName === "base-test"));
});

const errors = suite("variants: errors");

errors("a bad override is reported at the variant's lines, with the variant's path", () => {
  const text = `${BASE}variants:
  - name: a
  - name: b
    set:
      network: { bandwidth: 1 Gbit/s, mtu: 100 }
      guest: { speed: 3 }
`;
  assert.equal(problems(text), [
    'v.yaml:15:29: variants[1].set.network.bandwidth: got "1 Gbit/s"; expected a rate like "10Gbit/s" or "120MiB/s"',
    "v.yaml:15:44: variants[1].set.network.mtu: got 100; expected an integer from 576 to 65536",
    "v.yaml:16:16: variants[1].set.guest.speed: got 3; expected no such field (allowed: memory, page-size, vcpus, device-state)",
  ]);
});

errors("a rule the merged document breaks points into the variant's set", () => {
  const text = `${BASE}variants:
  - name: huge-pages
    set:
      guest: { page-size: 2MiB, memory: 9000MB }
  - name: endless
    set:
      workload:
        - idle: {}
        - boot: { data: 1GB }
`;
  assert.equal(problems(text), [
    'v.yaml:14:41: variants[0].set.guest.memory: got "9000MB"; expected a multiple of the page size (2MiB), e.g. 8584MiB',
    'v.yaml:19:11: variants[1].set.workload[1]: got {"boot":{"data":"1GB"}}; expected no step after workload[0], which runs until the end (give it a "for")',
    'v.yaml:19:11: variants[1].set.workload[1].boot: got {"data":"1GB"}; expected boot only as the first step (the guest boots once, at time 0)',
  ]);
});

errors("an override that breaks a value it does not name points at the deepest part it names", () => {
  const text = `${BASE}migration: { parameters: { max-cpu-throttle: 50 } }
variants:
  - name: a
    set:
      migration:
        parameters: { cpu-throttle-initial: 60 }
`;
  assert.equal(problems(text), [
    "v.yaml:16:9: variants[0].set.migration.parameters.max-cpu-throttle: got 50; expected an integer from cpu-throttle-initial (60) to 99",
  ]);
});

errors("errors in the base are reported once, not once per variant", () => {
  const text = `name: t
guest: { memory: 8G }
workload:
  - idle: {}
  - idle: {}
variants:
  - name: a
  - name: b
    set: { network: { rtt: 1ms } }
  - name: c
    set: { network: { rtt: 1 } }
`;
  assert.equal(problems(text), [
    'v.yaml:2:18: guest.memory: got "8G"; expected a size like "8GiB" or "400MB"',
    'v.yaml:11:28: variants[2].set.network.rtt: got 1; expected a duration like "300ms" or "1.5s"',
  ]);
  const semantic = `name: t
guest: { memory: 8GiB }
workload:
  - idle: {}
  - idle: {}
variants:
  - name: a
  - name: b
    set: { network: { rtt: 1ms } }
`;
  assert.equal(problems(semantic), [
    'v.yaml:5:5: workload[1]: got {"idle":{}}; expected no step after workload[0], which runs until the end (give it a "for")',
  ]);
});

errors("duplicate variant names; top-level expect beside variants; set cannot rename", () => {
  const text = `${BASE}expect: { total-time: 1s }
variants:
  - name: a
  - name: a
    set: { name: other }
`;
  assert.equal(problems(text), [
    'v.yaml:11:1: expect: got {"total-time":"1s"}; expected no top-level expect when there are variants (give each variant its own expect)',
    'v.yaml:14:11: variants[1].name: got "a"; expected a name no other variant has (variants[0] is a)',
    'v.yaml:15:12: variants[1].set.name: got "other"; expected no such field (allowed: seed, guest, workload, host, network, transport, migration, balloon, faults, postcopy, commands, simulation, guests)',
  ]);
});

errors("a variant without a name", () => {
  assert.equal(problems(`${BASE}variants:\n  - set: { seed: 2 }\n`), [
    "v.yaml:12:5: variants[0].name: got nothing; expected a string of 1 to 100 characters",
  ]);
});

merge.run();
resolve.run();
errors.run();
