// The `transport` section and migration.transport: defaults per compression method, the rules the
// schema cannot say, and the bundled scenarios that compare transports.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { TransportName } from "../../src/model.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { parseScenario } from "../../src/scenario/parse.ts";
import { TRANSPORTS } from "../../src/transport/index.ts";
import { scenarioProblems } from "../helpers/scenario.ts";

const SCENARIOS = fileURLToPath(new URL("../../scenarios", import.meta.url));

const problems = (text: string) => scenarioProblems(text, "t.yaml");

function config(text: string) {
  const [c] = parseScenario(text, "t.yaml").configs;
  assert.ok(c);
  return c;
}

const HEAD = `name: t
guest: { memory: 8GiB }
workload: []
`;

const resolve = suite("scenario: transport section");

resolve("every transport name is accepted and reaches the config", () => {
  for (const name of Object.keys(TRANSPORTS) as TransportName[]) {
    assert.is(config(`${HEAD}migration: { transport: ${name} }\n`).migration.transport, name);
  }
});

resolve("compression takes its method's defaults for what the file leaves out", () => {
  assert.equal(config(`${HEAD}transport: { multifd-compression: zlib }\n`).transport.multifdCompression, {
    method: "zlib",
    ratio: 2.743,
    compressBytesPerSec: 110e6,
    decompressBytesPerSec: 440e6,
  });
  const zstd = `${HEAD}transport: { multifd-compression: zstd, compression-ratio: 4, decompress-rate: 2GB/s }\n`;
  assert.equal(config(zstd).transport.multifdCompression, {
    method: "zstd",
    ratio: 4,
    compressBytesPerSec: 530e6,
    decompressBytesPerSec: 2e9,
  });
  // Settings for a method not in use are kept out of the config, as for a transport not in use.
  const none = `${HEAD}transport: { compression-ratio: 4 }\n`;
  assert.equal(config(none).transport.multifdCompression, { method: "none" });
});

resolve("a variant switches transport and sets its parameters; the base's stay", () => {
  const text = `${HEAD}transport: { multifd-channels: 4 }
variants:
  - name: plain
  - name: rpc
    set: { migration: { transport: rpc }, transport: { rpc-window: 0 } }
`;
  const [plain, rpc] = parseScenario(text, "t.yaml").configs;
  assert.is(plain?.migration.transport, "plain");
  assert.is(plain?.transport.rpcWindow, 1);
  assert.is(rpc?.migration.transport, "rpc");
  assert.is(rpc?.transport.rpcWindow, 0);
  assert.is(rpc?.transport.multifdChannels, 4);
});

const errors = suite("scenario: transport errors");

errors("ranges and enums in plain words", () => {
  const text = `${HEAD}transport:
  multifd-channels: 0
  rpc-window: -1
  multifd-compression: lz4
  compression-ratio: 0.5
`;
  assert.equal(problems(text), [
    "t.yaml:5:21: transport.multifd-channels: got 0; expected an integer from 1 to 255",
    "t.yaml:6:15: transport.rpc-window: got -1; expected an integer from 0 to 65536",
    't.yaml:7:24: transport.multifd-compression: got "lz4"; expected one of none, zlib, zstd',
    "t.yaml:8:22: transport.compression-ratio: got 0.5; expected a number from 1 to 1000",
  ]);
});

errors("a misspelt parameter is an error, not a silent default", () => {
  const lines = problems(`${HEAD}transport: { multifd-channel: 4 }\n`);
  assert.is(lines.length, 1);
  assert.match(
    lines[0]!,
    "transport.multifd-channel: got 4; expected no such field (did you mean multifd-channels?",
  );
});

errors("a packet holds whole pages, checked only for multifd", () => {
  const text = `name: t
guest: { memory: 8GiB, page-size: 2MiB }
workload: []
variants:
  - name: plain
  - name: multifd
    set: { migration: { transport: multifd } }
  - name: multifd-sized
    set: { migration: { transport: multifd }, transport: { multifd-packet-size: 3MiB } }
`;
  assert.equal(problems(text), [
    't.yaml:7:10: variants[1].set.transport.multifd-packet-size: got "512KiB"; expected a multiple of page-size (2MiB) (512KiB is the default; set transport.multifd-packet-size)',
    't.yaml:9:81: variants[2].set.transport.multifd-packet-size: got "3MiB"; expected a multiple of page-size (2MiB)',
  ]);
});

const bundled = suite("scenario: bundled transport scenarios");

bundled("multifd-tls-2020: single-stream TLS against 2 TLS channels, at 120 and 200 MiB/s", () => {
  const configs = loadScenarioFile(join(SCENARIOS, "published", "multifd-tls-2020.yaml")).configs;
  assert.equal(
    configs.map((c) => {
      const dirty = c.workload.find((s) => s.kind === "dirty");
      return [c.migration.transport, dirty?.kind === "dirty" ? dirty.rateBytesPerSec / 2 ** 20 : null];
    }),
    [
      ["tls", 120],
      ["multifd", 120],
      ["tls", 200],
      ["multifd", 200],
    ],
  );
  for (const c of configs) {
    assert.is(c.guest.memoryBytes, 16 * 2 ** 30);
    assert.is(c.guest.vcpus, 4);
    assert.is(c.transport.multifdChannels, 2);
    assert.ok(c.transport.multifdTls);
    assert.is(c.migration.parameters.maxBandwidthBytesPerSec, 500e6);
    assert.is(c.expect, null, "no published timings to compare against");
  }
});

bundled("secure-migration-2009: every page holds data; plain, GnuTLS, tunnelled, RPC both ways", () => {
  const configs = loadScenarioFile(join(SCENARIOS, "published", "secure-migration-2009.yaml")).configs;
  assert.equal(
    configs.map((c) => [c.variantName, c.migration.transport, c.transport.rpcWindow]),
    [
      ["plain", "plain", 1],
      ["gnutls-side-band", "tls", 1],
      ["tunnelled-rpc-stream", "tunnelled", 1],
      ["fire-and-forget-rpc", "rpc", 0],
      ["rpc-stop-and-wait", "rpc", 1],
    ],
  );
  const [c] = configs;
  assert.ok(c);
  const boot = c.workload[0];
  const touch = c.workload[1];
  assert.ok(boot?.kind === "boot" && touch?.kind === "touch");
  assert.is(boot.dataBytes + touch.bytes, c.guest.memoryBytes, "the program filled all of RAM");
  assert.is(c.network.bandwidthBytesPerSec, 125e6);
  assert.ok(c.transport.daemonTls);
});

bundled("examples/transports: every transport on one guest", () => {
  const configs = loadScenarioFile(join(SCENARIOS, "examples", "transports.yaml")).configs;
  const used = new Set(configs.map((c) => c.migration.transport));
  assert.equal([...used].sort(), Object.keys(TRANSPORTS).sort());
  const guests = new Set(configs.map((c) => JSON.stringify([c.guest, c.workload, c.host, c.network])));
  assert.is(guests.size, 1, "one guest, one pair of hosts");
});

resolve.run();
errors.run();
bundled.run();
