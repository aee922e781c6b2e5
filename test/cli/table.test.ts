import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  comparisonTable,
  formatErrorPercent,
  formatKb,
  formatMs,
  formatVerifier,
  groupThousands,
  interruptionTable,
  problemLines,
  renderTable,
  summaryTable,
} from "../../src/cli/table.ts";
import { runResult, variant } from "./fixtures.ts";

const numbers = suite("table: numbers");

numbers("groupThousands puts a comma every three digits and rounds", () => {
  assert.is(groupThousands(0), "0");
  assert.is(groupThousands(999), "999");
  assert.is(groupThousands(1000), "1,000");
  assert.is(groupThousands(8_146_291), "8,146,291");
  assert.is(groupThousands(-1234567), "-1,234,567");
  assert.is(groupThousands(1234.5), "1,235");
  assert.is(groupThousands(-0.2), "0");
});

numbers("formatKb divides by 1024", () => {
  assert.is(formatKb(407_569_408), "398,017");
  assert.is(formatKb(512), "1");
  assert.is(formatKb(0), "0");
});

numbers("formatMs keeps one decimal only below 10 ms", () => {
  assert.is(formatMs(1894), "1,894");
  assert.is(formatMs(7436.4), "7,436");
  assert.is(formatMs(12.6), "13");
  assert.is(formatMs(4.25), "4.3");
  assert.is(formatMs(0), "0");
  assert.is(formatMs(3), "3");
});

numbers("formatErrorPercent is signed with one decimal", () => {
  assert.is(formatErrorPercent(3.21), "+3.2%");
  assert.is(formatErrorPercent(-12.05), "-12.1%");
  assert.is(formatErrorPercent(0), "0.0%");
  assert.is(formatErrorPercent(-0.01), "0.0%");
});

numbers("formatVerifier says ok or counts mismatches", () => {
  assert.is(formatVerifier(variant()), "ok");
  const one = variant();
  one.verification.mismatches = 1;
  assert.is(formatVerifier(one), "1 mismatch");
  const many = variant();
  many.verification.mismatches = 12_345;
  assert.is(formatVerifier(many), "12,345 mismatches");
});

numbers.run();

const layout = suite("table: layout");

layout("renderTable aligns text left and numbers right, two spaces apart, no trailing blanks", () => {
  const text = renderTable(
    [
      { header: "name", align: "left" },
      { header: "n", align: "right" },
      { header: "note", align: "left" },
    ],
    [
      ["a", "1,000", "x"],
      ["longer", "7", ""],
    ],
  );
  assert.is(text, "name        n  note\na       1,000  x\nlonger      7\n");
});

layout("summaryTable has one aligned row per variant", () => {
  const off = variant();
  const on = variant({ name: "hinting-on", "total-time": 421, downtime: 31, "setup-time": 9.5 });
  on.ram = { ...on.ram, transferred: 361_719_808, "dirty-sync-count": 2 };
  on.verification = { ...on.verification, mismatches: 3 };
  const lines = summaryTable(runResult([off, on])).split("\n");
  assert.equal(lines, [
    "variant      status     transferred KB  elapsed ms  downtime ms  setup ms  syncs  src idle %  dst idle %  verifier",
    "hinting-off  completed         398,017       1,894          4.3        12      3        97.0        98.0  ok",
    "hinting-on   completed         353,242         421           31       9.5      2        97.0        98.0  3 mismatches",
    "",
  ]);
});

layout("summaryTable follows a variant of several guests with a row per guest, indented", () => {
  const db = variant({ name: "db", "total-time": 1500 });
  const web = variant({ name: "web", "total-time": 900 });
  const fleet = variant({ name: "drain", guests: [db, web] });
  const [, total, first, second] = summaryTable(runResult([fleet])).split("\n");
  assert.match(total!, /^drain\s+completed\s+398,017\s+1,894 /);
  assert.match(first!, /^ {2}db\s+completed\s+398,017\s+1,500 /);
  assert.match(second!, /^ {2}web\s+completed\s+398,017\s+900 /);
});

layout("comparisonTable lists each published figure with its error, or is null", () => {
  assert.is(comparisonTable(runResult([variant()])), null);
  const compared = variant({
    expect: {
      "total-time": { published: 1894, model: 1950, "error-percent": 2.96 },
      "transferred-kb": { published: 398_017, model: 390_000, "error-percent": -2.01 },
      downtime: null,
    },
  });
  assert.is(
    comparisonTable(runResult([compared])),
    [
      "variant      figure          published    model  error",
      "hinting-off  elapsed ms          1,894    1,950  +3.0%",
      "hinting-off  transferred KB    398,017  390,000  -2.0%",
      "",
    ].join("\n"),
  );
});

layout("problemLines names failed variants and mismatching pages", () => {
  assert.equal(problemLines(runResult([variant()])), []);
  const failed = variant({ name: "slow", status: "failed", "error-desc": "did not converge" });
  const wrong = variant({ name: "assume-zero" });
  wrong.verification = {
    ...wrong.verification,
    mismatches: 5,
    "mismatched-pages": [1, 2, 3, 4, 5].map((page) => ({ page, source: 2, destination: 0 })),
  };
  const lines = problemLines(runResult([failed, wrong]));
  assert.is(lines.length, 2);
  assert.is(lines[0], "slow: failed: did not converge");
  assert.match(lines[1] ?? "", /^assume-zero: verifier: 5 mismatches: page 1 \(source 2, destination 0\), /);
  assert.match(lines[1] ?? "", /page 4 .*, \.\.\.$/);
});

layout("problemLines says a guest lost with its host is lost, rather than listing pages", () => {
  const lost = variant({ name: "source-lost", status: "failed", "error-desc": "the source host failed" });
  lost.verification = { ...lost.verification, mismatches: 786_432, "guest-running-on": "nowhere" };
  assert.equal(problemLines(runResult([lost])), [
    "source-lost: failed: the source host failed",
    "source-lost: verifier: the guest runs nowhere: all 786,432 pages are lost",
  ]);
});

layout(
  "interruptionTable: when it happened, how long until the source knew, what was wasted, who noticed",
  () => {
    assert.is(interruptionTable(runResult([variant()])), null);
    const cut = variant({
      name: "tunnelled-cut",
      status: "failed",
      "error-desc": "internal error: connection closed due to keepalive timeout (...)",
      interruption: {
        cause: "link-down",
        "event-ms": 2000,
        "status-ms": 32_000,
        "latency-ms": 30_000,
        host: "source",
        channel: "the daemons' connection",
        layer: "libvirtd's RPC connection, TLS over TCP",
        "wasted-bytes": 388_731_312,
        "discarded-pages": 594_358,
      },
    });
    const [header, row] = interruptionTable(runResult([variant(), cut]))!.split("\n");
    assert.match(header!, /^variant\s+cause\s+at ms\s+latency ms\s+wasted KB\s+noticed by$/);
    assert.match(
      row!,
      /^tunnelled-cut\s+link-down\s+2,000\s+30,000\s+379,620\s+source: the daemons' connection, libvirtd's RPC connection, TLS over TCP$/,
    );
    // A failure its scenario scripted is the point of the run, not a problem that makes it exit 1.
    assert.equal(problemLines(runResult([cut])), []);
    const { interruption: _scripted, ...unscripted } = cut;
    assert.equal(problemLines(runResult([unscripted])), [`tunnelled-cut: failed: ${cut["error-desc"]}`]);
  },
);

layout.run();
