import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseScenario, ScenarioError } from "../../src/scenario/parse.ts";
import { scenarioProblems } from "../helpers/scenario.ts";

/** The problem lines a text produces (the error's message), or [] when it parses. */
const problems = (text: string, fileName = "s.yaml") => scenarioProblems(text, fileName);

const HEAD = `name: t
guest:
  memory: 8GiB
  vcpus: 4
`;

const schema = suite("errors: schema");

schema("an unknown field points at its key and lists the allowed ones", () => {
  assert.equal(problems(`${HEAD}  bogus: 1\nworkload: []\n`), [
    "s.yaml:5:3: guest.bogus: got 1; expected no such field (allowed: memory, page-size, vcpus, device-state)",
  ]);
});

schema("a near miss gets a suggestion, once (not also as additionalProperties)", () => {
  const lines = problems(`${HEAD}workload: []\nnetwork:\n  bandwith: 10Gbit/s\n`);
  assert.is(lines.length, 1);
  assert.is(
    lines[0],
    's.yaml:7:3: network.bandwith: got "10Gbit/s"; expected no such field (did you mean bandwidth? allowed: ' +
      "bandwidth, rtt, mtu, frame-overhead, tcp-ip-header, socket-buffer, packet-loss, tcp-timeout)",
  );
});

schema("an unknown key whose value is a block points at the key's line", () => {
  assert.equal(problems(`${HEAD}workload: []\nhosts:\n  cores: 4\n`), [
    's.yaml:6:1: hosts: got {"cores":4}; expected no such field (did you mean host? allowed: $schema, name, ' +
      "description, seed, guest, workload, host, network, transport, migration, balloon, faults, postcopy, commands, simulation, " +
      "guests, expect, variants)",
  ]);
});

schema("a wrong unit says which kind of quantity is expected", () => {
  assert.equal(problems(`${HEAD}workload:\n  - dirty: { rate: 120MiB, working-set: 1GiB }\n`), [
    's.yaml:6:20: workload[0].dirty.rate: got "120MiB"; expected a rate like "10Gbit/s" or "120MiB/s"',
  ]);
  assert.equal(problems(`${HEAD}workload: []\nnetwork: { rtt: 100 }\n`), [
    's.yaml:6:17: network.rtt: got 100; expected a duration like "300ms" or "1.5s"',
  ]);
  assert.equal(problems("name: t\nguest: { memory: 8G }\nworkload: []\n"), [
    's.yaml:2:18: guest.memory: got "8G"; expected a size like "8GiB" or "400MB"',
  ]);
});

schema("ranges, enums and booleans in plain words", () => {
  const text = `name: t
guest: { memory: 8GiB, vcpus: 0 }
workload:
  - dirty: { rate: 1MB/s, working-set: 1GiB, pattern: random }
migration:
  transport: quic
  capabilities: { auto-converge: yes }
  parameters: { cpu-throttle-initial: 100 }
`;
  assert.equal(problems(text), [
    "s.yaml:2:31: guest.vcpus: got 0; expected an integer from 1 to 1024",
    's.yaml:4:55: workload[0].dirty.pattern: got "random"; expected one of uniform, sequential, hot-cold',
    's.yaml:6:14: migration.transport: got "quic"; expected one of plain, tls, tunnelled, rpc, multifd',
    's.yaml:7:34: migration.capabilities.auto-converge: got "yes"; expected true or false',
    "s.yaml:8:39: migration.parameters.cpu-throttle-initial: got 100; expected an integer from 1 to 99",
  ]);
});

schema("a missing required field points at the object that lacks it", () => {
  assert.equal(problems("name: t\nguest:\n  vcpus: 2\nworkload:\n  - touch: { name: x }\n"), [
    's.yaml:2:1: guest.memory: got nothing; expected a size like "8GiB" or "400MB"',
    's.yaml:5:5: workload[0].touch.size: got nothing; expected a size like "8GiB" or "400MB"',
  ]);
  assert.equal(problems("guest: { memory: 1GiB }\nworkload: []\n"), [
    "s.yaml:1:1: name: got nothing; expected a string of 1 to 100 characters",
  ]);
});

schema("a workload item with two keys, or none", () => {
  const text = `${HEAD}workload:
  - boot: { data: 1GB }
    idle: {}
  - {}
`;
  assert.equal(problems(text), [
    's.yaml:6:5: workload[0]: got {"boot":{"data":"1GB"},"idle":{}}; expected exactly one of boot, touch, free, idle, dirty',
    "s.yaml:8:5: workload[1]: got {}; expected exactly one of boot, touch, free, idle, dirty",
  ]);
});

schema("a command needs `at` and exactly one command", () => {
  const text = `${HEAD}workload: []
commands:
  - { at: 5s }
  - { at: 6s, migrate_cancel: {}, migrate-set-parameters: { downtime-limit: 1s } }
  - { at: 7s, migrate-set-parameters: {} }
`;
  assert.equal(problems(text), [
    's.yaml:7:5: commands[0]: got {"at":"5s"}; expected at and exactly one of migrate-set-parameters, migrate_cancel, migrate-start-postcopy, link-down, link-up, connection-reset, link-bandwidth, packet-loss, source-fail',
    's.yaml:8:5: commands[1]: got {"at":"6s","migrate_cancel":{},"migrate-set-parameters":{"d…; ' +
      "expected at and exactly one of migrate-set-parameters, migrate_cancel, migrate-start-postcopy, link-down, link-up, connection-reset, link-bandwidth, packet-loss, source-fail",
    "s.yaml:9:39: commands[2].migrate-set-parameters: got {}; expected at least one of max-bandwidth, " +
      "downtime-limit, cpu-throttle-initial, cpu-throttle-increment, max-cpu-throttle, throttle-trigger-threshold",
  ]);
});

schema("a long value is cut short", () => {
  const [line] = problems(`${HEAD}workload: []\ndescription: [${"1, ".repeat(40)}1]\n`);
  assert.ok(line?.startsWith("s.yaml:6:14: description: got [1,1,1,"));
  assert.ok(line?.includes("…; expected a string"));
});

const syntax = suite("errors: YAML syntax");

syntax("a syntax error is a problem at its line", () => {
  const lines = problems("name: t\nguest: { memory: 8GiB\nworkload: []\n");
  assert.ok(lines.length >= 1);
  assert.match(lines[0] ?? "", /^s\.yaml:3:\d+: YAML syntax: /);
});

syntax("a bad indent and a duplicate key", () => {
  assert.match(problems("name: t\n  guest: 1\n")[0] ?? "", /^s\.yaml:1:7: YAML syntax: /);
  assert.equal(problems("name: t\nname: u\nguest: { memory: 1GiB }\nworkload: []\n"), [
    "s.yaml:2:1: YAML syntax: Map keys must be unique",
  ]);
});

syntax("an empty file says what a scenario needs", () => {
  assert.equal(problems(""), [
    "s.yaml:1:1: got null; expected a mapping with fields $schema, name, description, seed, guest, workload, " +
      "host, network, transport, migration, balloon, faults, postcopy, commands, simulation, guests, expect, variants",
  ]);
});

syntax("JSON errors have lines too", () => {
  const text = '{\n  "name": "j",\n  "guest": { "memory": "8 GiB" },\n  "workload": []\n}\n';
  assert.equal(problems(text, "s.json"), [
    's.json:3:24: guest.memory: got "8 GiB"; expected a size like "8GiB" or "400MB"',
  ]);
  assert.match(
    problems('{\n  "name": "j",\n  "guest": {\n}', "s.json")[0] ?? "",
    /^s\.json:4:\d+: YAML syntax: /,
  );
});

const semantic = suite("errors: rules beyond the schema");

semantic("memory must be a multiple of the page size, and page sizes powers of two", () => {
  assert.equal(problems("name: t\nguest: { memory: 9000MB, page-size: 2MiB }\nworkload: []\n"), [
    's.yaml:2:18: guest.memory: got "9000MB"; expected a multiple of the page size (2MiB), e.g. 8584MiB',
  ]);
  assert.equal(problems("name: t\nguest: { memory: 12KiB, page-size: 3KiB }\nworkload: []\n"), [
    's.yaml:2:36: guest.page-size: got "3KiB"; expected a power of two from 4KiB to 1GiB (4KiB, 2MiB, 1GiB, ...)',
  ]);
});

semantic("steps after a step that runs until the end are unreachable", () => {
  const text = `${HEAD}workload:
  - idle: {}
  - touch: { size: 1GiB }
  - idle: {}
`;
  assert.equal(problems(text), [
    's.yaml:7:5: workload[1]: got {"touch":{"size":"1GiB"}}; expected no step after workload[0], which runs until the end (give it a "for")',
  ]);
  const dirty = `${HEAD}workload:\n  - dirty: { rate: 1MB/s, working-set: 1GiB }\n  - free: { size: 1GiB }\n`;
  assert.equal(problems(dirty), [
    's.yaml:7:5: workload[1]: got {"free":{"size":"1GiB"}}; expected no step after workload[0], which runs until the end (give it a "for")',
  ]);
});

semantic("free and over must name a live allocation made earlier", () => {
  const text = `${HEAD}workload:
  - free: { name: job }
  - touch: { size: 1GiB, name: job }
  - free: { name: job }
  - dirty: { rate: 1MB/s, over: job }
`;
  assert.equal(problems(text), [
    's.yaml:6:19: workload[0].free.name: got "job"; expected the name of a live allocation made by an earlier touch or dirty (live: none)',
    's.yaml:9:33: workload[3].dirty.over: got "job"; expected the name of a live allocation made by an earlier touch or dirty (live: none); job was freed by workload[2]',
  ]);
});

semantic("names are unique among live allocations; free sizes fit what is held", () => {
  // The failed free still releases all of the first `a`, so 1GiB (the second `a`) is left for the last.
  const text = `${HEAD}workload:
  - touch: { size: 1GiB, name: a }
  - touch: { size: 1GiB, name: a }
  - free: { name: a, size: 2GiB }
  - free: { size: 5GiB }
`;
  assert.equal(problems(text), [
    's.yaml:7:32: workload[1].touch.name: got "a"; expected a name no live allocation has (live: a)',
    's.yaml:8:28: workload[2].free.size: got "2GiB"; expected at most 1GiB, what a still holds',
    's.yaml:9:19: workload[3].free.size: got "5GiB"; expected at most 1GiB, what earlier touch and dirty steps still hold',
  ]);
});

semantic("dirty needs exactly one of working-set and over", () => {
  const text = `${HEAD}workload:
  - touch: { size: 1GiB, name: a }
  - dirty: { rate: 1MB/s, for: 1s }
  - dirty: { rate: 1MB/s, working-set: 1GiB, over: a, for: 1s }
`;
  assert.equal(problems(text), [
    's.yaml:7:5: workload[1].dirty: got {"rate":"1MB/s","for":"1s"}; expected exactly one of working-set (a new allocation) or over (an earlier one)',
    's.yaml:8:5: workload[2].dirty: got {"rate":"1MB/s","working-set":"1GiB","over":"a","for":"1s"}; expected exactly one of working-set (a new allocation) or over (an earlier one)',
  ]);
});

semantic("hot-cold needs hot-set and hot-writes; other patterns refuse them", () => {
  const text = `${HEAD}workload:
  - dirty: { rate: 1MB/s, working-set: 1GiB, pattern: hot-cold, for: 1s }
  - dirty: { rate: 1MB/s, working-set: 1GiB, hot-writes: 90%, for: 1s }
`;
  assert.equal(problems(text), [
    's.yaml:6:5: workload[0].dirty.hot-set: got nothing; expected a percentage like "10%" (pattern hot-cold needs it)',
    's.yaml:6:5: workload[0].dirty.hot-writes: got nothing; expected a percentage like "90%" (pattern hot-cold needs it)',
    's.yaml:7:58: workload[1].dirty.hot-writes: got "90%"; expected no hot-writes unless pattern is hot-cold',
  ]);
});

semantic("allocations beyond guest memory are named at the step that overflows", () => {
  const text = `${HEAD}workload:
  - boot: { data: 400MB }
  - touch: { size: 7.6GiB }
  - touch: { size: 1GiB }
  - touch: { size: 1GiB }
`;
  assert.equal(problems(text), [
    's.yaml:8:20: workload[2].touch.size: got "1GiB"; expected at most 28.13MiB: guest memory is 8GiB and earlier steps hold 7.97GiB',
  ]);
});

semantic("boot only first; threads within vCPUs; zero rates refused", () => {
  const text = `${HEAD}workload:
  - idle: { for: 1s }
  - boot: { data: 1GB }
  - dirty: { rate: 0MB/s, working-set: 1GiB, threads: 5 }
network: { bandwidth: 0Gbit/s }
migration: { parameters: { max-bandwidth: 0B/s } }
`;
  assert.equal(problems(text), [
    's.yaml:7:5: workload[1].boot: got {"data":"1GB"}; expected boot only as the first step (the guest boots once, at time 0)',
    's.yaml:8:20: workload[2].dirty.rate: got "0MB/s"; expected a rate above zero',
    "s.yaml:8:55: workload[2].dirty.threads: got 5; expected an integer from 1 to 4 (guest.vcpus)",
    's.yaml:9:23: network.bandwidth: got "0Gbit/s"; expected a rate above zero',
    's.yaml:10:43: migration.parameters.max-bandwidth: got "0B/s"; expected a rate above zero (for no limit, give the link rate)',
  ]);
});

semantic("commands: QEMU's throttle rule on applied parameters; no cancel before migrate", () => {
  const text = `${HEAD}workload: []
migration: { start: 2s }
commands:
  - { at: 9s, migrate-set-parameters: { max-cpu-throttle: 30 } }
  - { at: 1s, migrate_cancel: {} }
  - { at: 3s, migrate-set-parameters: { cpu-throttle-initial: 50 } }
`;
  assert.equal(problems(text), [
    "s.yaml:8:59: commands[0].migrate-set-parameters.max-cpu-throttle: got 30; expected an integer from cpu-throttle-initial (50) to 99",
    's.yaml:9:11: commands[1].at: got "1s"; expected a time at or after migration.start (2s): before it nothing is migrating',
  ]);
});

semantic("downtime-limit within QEMU's 2000s", () => {
  assert.equal(problems(`${HEAD}workload: []\nmigration: { parameters: { downtime-limit: 1h } }\n`), [
    's.yaml:6:44: migration.parameters.downtime-limit: got "1h"; expected a duration of at most 2000s (QEMU\'s limit)',
  ]);
});

const many = suite("errors: all problems, in line order");

many("every problem is reported, sorted by line", () => {
  const text = `name: ""
guest:
  memory: 8GiB
  vcpus: many
workload:
  - touch: { size: 1 GiB }
  - sleep: { for: 1s }
simulation: { max-step-pages: 0 }
variants: []
`;
  assert.equal(problems(text), [
    's.yaml:1:7: name: got ""; expected a string of 1 to 100 characters',
    's.yaml:4:10: guest.vcpus: got "many"; expected an integer from 1 to 1024',
    's.yaml:6:20: workload[0].touch.size: got "1 GiB"; expected a size like "8GiB" or "400MB"',
    's.yaml:7:5: workload[1].sleep: got {"for":"1s"}; expected no such field (allowed: boot, touch, free, idle, dirty)',
    "s.yaml:8:31: simulation.max-step-pages: got 0; expected an integer >= 1",
    "s.yaml:9:11: variants: got []; expected a non-empty list",
  ]);
});

many("ScenarioError carries structured problems", () => {
  try {
    parseScenario("name: t\nguest: { memory: 8G }\nworkload: []\n", "dir/s.yaml");
    assert.unreachable();
  } catch (error) {
    assert.instance(error, ScenarioError);
    assert.instance(error, Error);
    assert.equal((error as ScenarioError).problems, [
      {
        file: "dir/s.yaml",
        line: 2,
        column: 18,
        path: "guest.memory",
        message: 'got "8G"; expected a size like "8GiB" or "400MB"',
      },
    ]);
  }
});

schema.run();
syntax.run();
semantic.run();
many.run();
