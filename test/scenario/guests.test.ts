// Scenario files with `guests`: one config per guest, in order, each the document with the guest's `set`
// merged in; problems reported at the guest's own lines.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseScenario, variantNames } from "../../src/scenario/parse.ts";
import { scenarioProblems } from "../helpers/scenario.ts";

const problems = (text: string) => scenarioProblems(text, "g.yaml");

const GiB = 2 ** 30;

const BASE = `name: drain
guest:
  memory: 4GiB
  vcpus: 2
workload:
  - boot: { data: 400MB }
  - idle: {}
network:
  bandwidth: 10Gbit/s
`;

const GUESTS = `guests:
  - name: db
    set:
      guest: { memory: 8GiB }
      migration: { transport: multifd }
  - name: web
`;

const guests = suite("guests");

guests("one config per guest, each the base with its set merged in", () => {
  const configs = parseScenario(`${BASE}${GUESTS}`, "g.yaml").configs;
  assert.equal(
    configs.map((c) => [c.variantName, c.guestName, c.guest.memoryBytes, c.migration.transport]),
    [
      ["base", "db", 8 * GiB, "multifd"],
      ["base", "web", 4 * GiB, "plain"],
    ],
  );
  assert.is(configs[0]!.guest.vcpus, 2, "what the set does not write comes from the base");
});

guests("variants repeat their guests in order; a variant's own list replaces the base's", () => {
  const text = `${BASE}${GUESTS}variants:
  - name: tls
    set: { migration: { transport: tls } }
  - name: alone
    set:
      guests:
        - name: web
`;
  const configs = parseScenario(text, "g.yaml").configs;
  assert.equal(
    configs.map((c) => [c.variantName, c.guestName, c.migration.transport]),
    [
      ["tls", "db", "multifd"],
      ["tls", "web", "tls"],
      ["alone", "web", "plain"],
    ],
  );
});

guests("variant names are listed once each, however many guests a variant has", () => {
  const text = `${BASE}${GUESTS}variants:
  - name: tls
    set: { migration: { transport: tls } }
  - name: plain
`;
  assert.equal(variantNames(parseScenario(text, "g.yaml").configs), ["tls", "plain"]);
});

guests("duplicate guest names are reported at the second name", () => {
  const text = `${BASE}guests:
  - name: web
  - name: web
`;
  assert.equal(problems(text), [
    'g.yaml:12:11: guests[1].name: got "web"; expected a name no other guest has (guests[0] is web)',
  ]);
});

guests("a guest cannot set what all guests share (the link, the hosts)", () => {
  const text = `${BASE}guests:
  - name: db
    set:
      network: { bandwidth: 1Gbit/s }
`;
  const [problem] = problems(text);
  assert.match(problem!, /^g\.yaml:13:7: guests\[0\]\.set\.network: got .*expected no such field/);
});

guests("a guest whose own values break a rule is reported at the guest", () => {
  const text = `${BASE}guests:
  - name: small
    set:
      guest: { memory: 256MiB }
  - name: fine
`;
  const found = problems(text);
  assert.ok(found.length > 0);
  for (const line of found) assert.match(line, /^g\.yaml:1[1-3]:\d+: guests\[0\]/);
});

guests.run();
