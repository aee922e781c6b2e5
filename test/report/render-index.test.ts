import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type IndexEntry, renderIndex } from "../../src/report/index.ts";
import { scenarioNotes } from "../../src/report/scenario-text.ts";

const index = suite("report: index page");

function entry(runId: string, createdAt: string, extra: Partial<IndexEntry> = {}): IndexEntry {
  return {
    runId,
    createdAt,
    scenario: "default",
    seed: 1,
    hasReport: true,
    variants: [
      {
        name: "original",
        status: "completed",
        transferredBytes: 407_569_408,
        totalTimeMs: 1894,
        downtimeMs: 4.25,
        mismatches: 0,
      },
    ],
    ...extra,
  };
}

index("lists runs newest first with their headline figures and links", () => {
  const page = renderIndex([
    entry("default-20261122-052711-1efc", "2026-11-22T05:27:11.000Z"),
    entry("default-20261122-054130-f0c8", "2026-11-22T05:41:30.000Z"),
    entry("old-run", "2026-11-21T00:00:00.000Z", { hasReport: false }),
  ]);
  const order = [...page.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]);
  assert.equal(order, ["default-20261122-054130-f0c8", "default-20261122-052711-1efc", "old-run"]);
  assert.ok(page.includes('href="default-20261122-054130-f0c8/report.html"'));
  assert.ok(page.includes('href="old-run/result.json"'), "a folder without a report links its result");
  assert.ok(page.includes("398,017</td>"));
  assert.ok(page.includes("1,894</td>"));
  assert.ok(page.includes("4.3</td>"));
  assert.match(page, /script-src &#39;none&#39;/, "no script at all");
});

index("names and folder names are escaped; links cannot leave the folder", () => {
  const page = renderIndex([
    entry('x"><script>alert(1)</script>', "2026-11-22T05:41:30.000Z", {
      scenario: "<img src=x onerror=alert(2)>",
    }),
  ]);
  assert.not.ok(page.includes("<script>alert"));
  assert.not.ok(page.includes("<img"));
  assert.ok(page.includes('href="x%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E/report.html"'));
});

index("an empty directory says how to make a run", () => {
  assert.ok(renderIndex([]).includes("No runs yet"));
});

const notes = suite("report: scenario notes");

notes("descriptions come from any YAML; bad YAML gives none", () => {
  const read = scenarioNotes(
    "description: top\nvariants:\n  - name: a\n    description: ' A '\n  - name: b\n  - 3\n",
  );
  assert.is(read.description, "top");
  assert.equal([...read.variants], [["a", "A"]]);
  assert.equal(scenarioNotes("{ not: [yaml").description, null);
  assert.equal(scenarioNotes('{"description": "json works too"}').description, "json works too");
});

index.run();
notes.run();
