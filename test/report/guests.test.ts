// Variants that migrated several guests at once: the per-guest section (a row per guest, each guest's bytes
// over time), the bytes-per-pass charts drawn per guest, and the totals elsewhere still reading right.
// Also the CPU chart's destination line, which came with the same results.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { VariantResult } from "../../src/index.ts";
import { explainVariant } from "../../src/report/explain.ts";
import { formatKb, formatMs } from "../../src/report/format.ts";
import { guestsOf, passCount } from "../../src/report/guests.ts";
import { renderReport } from "../../src/report/index.ts";
import { scenarioNotes } from "../../src/report/scenario-text.ts";
import { CREATED_AT, runResult, severalGuests, threeGuests, variant } from "./fixtures.ts";
import { chartData, tags } from "./tags.ts";

const render = (variants: VariantResult[], scenarioText = "") =>
  renderReport({ runId: "r", result: runResult(variants), scenarioText, createdAt: CREATED_AT });

/** The guests section's HTML, or "" when there is none. */
function section(page: string): string {
  const start = page.indexOf('<section id="guests"');
  return start < 0 ? "" : page.slice(start, page.indexOf("</section>", start));
}

/** Each row of a guest table: its header text and its cells' data-field → data-value (or text). */
function rows(html: string): { name: string; cells: Record<string, string> }[] {
  return [
    ...html.matchAll(
      /<tr(?: data-guest="[^"]*"| class="totals")><th scope="row">([\s\S]*?)<\/th>([\s\S]*?)<\/tr>/g,
    ),
  ].map((m) => ({
    name: m[1]!.replace(/<span class="swatch[^>]*><\/span>/, "").replace(/<br>[\s\S]*$/, ""),
    cells: Object.fromEntries(
      [...m[2]!.matchAll(/<td[^>]*data-field="([^"]+)"(?: data-value="([^"]*)")?>([^<]*)<\/td>/g)].map(
        (c) => [c[1]!, c[2] ?? c[3]!],
      ),
    ),
  }));
}

const guests = suite("report: several guests");

guests("a row per guest with its own figures, then the variant's totals", () => {
  const plain = threeGuests();
  const found = rows(section(render([plain])));
  assert.equal(
    found.map((r) => r.name),
    ["db", "web-1", "web-2", "all guests"],
  );
  for (const [i, run] of [...guestsOf(plain), plain].entries()) {
    const { cells } = found[i]!;
    assert.is(cells.status, run.status);
    assert.is(cells["ram.transferred"], String(run.ram.transferred));
    assert.is(cells["total-time"], String(run["total-time"]));
    assert.is(cells.downtime, String(run.downtime));
    assert.is(cells["setup-time"], String(run["setup-time"]));
    assert.is(cells["ram.dirty-sync-count"], String(run.ram["dirty-sync-count"]));
    assert.is(cells["cpu.host-idle-percent"], String(run.cpu["host-idle-percent"]));
    assert.is(cells["verification.mismatches"], "ok");
  }
  const page = render([plain]);
  assert.ok(
    page.includes(`${formatKb(guestsOf(plain)[0]!.ram.transferred)}</td>`),
    "shown as the CLI shows it",
  );
  assert.ok(page.includes('<a href="#guests">Guests</a>'), "linked from the contents");
  assert.ok(page.includes("16 GiB in 3 guests"), "the header counts the guests' memory together");
});

guests("a failed guest and a lost page are marked, with the reason under the table", () => {
  const plain = threeGuests();
  const [db, web1, web2] = guestsOf(plain);
  const failed = { ...web1!, status: "failed" as const, "error-desc": "link down for 20 s" };
  const lossy = {
    ...web2!,
    verification: { ...web2!.verification, mismatches: 3, "mismatched-pages": [] },
  };
  const html = section(render([{ ...plain, status: "failed", guests: [db!, failed, lossy] }]));
  assert.match(html, /<td class="warn" data-field="status">failed<\/td>/);
  assert.match(html, /<td class="warn" data-field="verification.mismatches">3 mismatches<\/td>/);
  assert.ok(html.includes("<li><strong>web-1</strong> failed: link down for 20 s</li>"));
});

guests("each guest's bytes over time, counted from its own migrate command", () => {
  const plain = threeGuests();
  const page = render([variant({ name: "one guest" }), plain]);
  const chart = chartData(page)["chart-guests-1"];
  assert.ok(chart !== undefined, "the chart is keyed by the variant's place in the run");
  assert.equal(
    chart.data.datasets.map((d) => d.label),
    ["db", "web-1", "web-2"],
  );
  const db = guestsOf(plain)[0]!;
  // The fixture's runs are under 10 s, so the axis is in ms and the last point is the guest's last sample.
  assert.equal(chart.data.datasets[0]!.data.at(-1), {
    x: db.timeline.at(-1)!["time-ms"],
    y: db.timeline.at(-1)!.transferred / 1024 ** 3,
  });
  const html = section(page);
  assert.ok(html.includes("Times are from each guest's own migrate command"));
  assert.ok(page.includes(`"text":"time since the guest's migrate (ms)"`), "the x axis says so too");
  assert.ok(html.includes("<li>db: 8 GiB by 4,000 ms.</li>"), html);
  assert.ok(html.includes("<details><summary>Data: Data transferred per guest over time: plain</summary>"));
});

guests("bytes per pass: a chart per guest, none for the totals, which have no passes", () => {
  const plain = threeGuests();
  const noPasses = severalGuests("setup-failed", [variant({ name: "a", passes: 0 }), variant({ name: "b" })]);
  const page = render([variant(), plain, noPasses]);
  const charts = chartData(page);
  const passCharts = Object.keys(charts).filter((id) => id.startsWith("chart-passes-"));
  assert.equal(passCharts, [
    "chart-passes-0",
    "chart-passes-1-0",
    "chart-passes-1-1",
    "chart-passes-1-2",
    // Guest a of setup-failed never began a pass: no chart, and no error.
    "chart-passes-2-1",
  ]);
  assert.equal(charts["chart-passes-1-0"]?.data.labels, ["1 bulk", "2", "3", "4 stop-and-copy"]);
  assert.ok(page.includes("Bytes per pass: plain / web-1"));
  assert.ok(page.includes("<p>plain / db: 4 passes,"), "the summary names the variant and the guest");
});

guests("every chart, the guests' too, has a summary and a data table", () => {
  const page = render([variant(), threeGuests()]);
  const canvases = [...page.matchAll(/<canvas id="([^"]+)"[^>]*aria-describedby="([^"]+)"/g)];
  // 1 + 3 bytes-per-pass charts, 4 over time, 1 per-guest bytes chart.
  assert.is(canvases.length, 9);
  const data = chartData(page);
  for (const [, id, described] of canvases) {
    assert.ok(page.includes(`<div class="summary" id="${described}">`), `${id} summary`);
    assert.ok(data[id!] !== undefined, `${id} configuration in the data block`);
  }
  assert.is([...page.matchAll(/<details><summary>Data: /g)].length, 9);
});

guests("the totals elsewhere: passes and guests counted over the guests, and said in the card", () => {
  const plain = threeGuests();
  assert.is(plain.passes.length, 0);
  assert.is(passCount(plain), 4 + 3 + 2);
  assert.is(passCount(variant({ passes: 5 })), 5);
  const page = render([variant(), plain]);
  assert.match(
    page,
    /<th scope="row">passes<\/th><td><code>passes<\/code><\/td><td class="num" data-field="passes" data-value="2">2<\/td><td class="num" data-field="passes" data-value="9">9<\/td>/,
  );
  assert.match(
    page,
    /<th scope="row">guests<\/th><td><code>guests<\/code><\/td><td[^>]*data-value="1">1<\/td><td[^>]*data-value="3">3<\/td>/,
  );
  const lines = explainVariant(plain);
  assert.is(
    lines[0],
    "3 guests at once (db, web-1, web-2); these are their totals, each guest's are under Guests",
  );
  assert.ok(
    lines.includes(`9 passes over the guests; the longest pause was db's, ${formatMs(212.5)} ms`),
    lines.join("\n"),
  );
  assert.not.ok(section(render([variant()])), "no section when every variant migrated one guest");
  assert.not.match(render([variant()]), /<th scope="row">guests</);
});

guests("guest names and descriptions are shown as text, never markup", () => {
  const evil = [
    `<img src=x onerror="alert(1)">`,
    "</script><script>alert(2)</script>",
    `" onmouseover="alert(3)`,
  ];
  const plain = severalGuests(
    "plain",
    evil.map((name) => variant({ name })),
  );
  const scenario = `name: x\nguests:\n  - name: '${evil[0]}'\n    description: '<iframe src=javascript:alert(4)>'\n`;
  const page = render([plain], scenario);
  const found = tags(page);
  for (const name of ["img", "iframe", "object", "embed", "form"])
    assert.not.ok(
      found.some((t) => t.name === name),
      `no <${name}>`,
    );
  for (const tag of found) {
    for (const attribute of tag.attributes)
      assert.not.ok(attribute.startsWith("on") || attribute === "src", `<${tag.name} ${attribute}>`);
  }
  assert.is(
    found.filter((t) => t.name === "script").length,
    2,
    "only the data block and the page's own script",
  );
  const names = rows(section(page)).map((r) => r.name);
  assert.equal(names.slice(0, 3), [
    "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;",
    "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;",
    "&quot; onmouseover=&quot;alert(3)",
  ]);
  assert.ok(page.includes('<span class="desc">&lt;iframe src=javascript:alert(4)&gt;</span>'));
  assert.ok(page.includes('data-guest="&quot; onmouseover=&quot;alert(3)"'), "attribute values escaped too");
  // The names reach the chart legends through the JSON data block, which cannot end its element.
  assert.equal(
    chartData(page)["chart-guests-0"]?.data.datasets.map((d) => d.label),
    evil,
  );
});

guests("scenario notes read guests' descriptions from the guests list and from variants", () => {
  const notes = scenarioNotes(`guests:
  - name: db
    description: ' A database. '
  - name: web
variants:
  - name: a
    set:
      guests:
        - name: web
          description: A web server.
        - name: db
          description: not this one, the scenario's own comes first
`);
  assert.equal(
    [...notes.guests],
    [
      ["db", "A database."],
      ["web", "A web server."],
    ],
  );
  assert.equal([...scenarioNotes("name: x").guests], []);
});

const cpu = suite("report: host CPU over time");

cpu("source and destination: two lines per variant, the destination dashed", () => {
  const page = render([variant(), variant({ name: "free-page-hint" })]);
  const chart = chartData(page)["chart-cpu"]!;
  assert.equal(
    chart.data.datasets.map((d) => [d.label, d.borderDash ?? null]),
    [
      ["original (source)", null],
      ["original (destination)", [6, 3]],
      ["free-page-hint (source)", null],
      ["free-page-hint (destination)", [6, 3]],
    ],
  );
  const v = variant();
  // The first sample (taken at the migrate command) is not a measurement and is left out.
  assert.equal(
    chart.data.datasets[1]!.data,
    v.timeline.slice(1).map((s) => ({ x: s["time-ms"], y: s["destination-cpu-percent"] })),
  );
  const block = page.slice(page.indexOf('<figure class="chart" aria-labelledby="chart-cpu-title">'));
  assert.match(
    block,
    /<li>original \(8 cores per host\): source [\d.]+% on average, peak [\d.]+% at [\d.,]+ ms; destination [\d.]+% on average, peak [\d.]+% at [\d.,]+ ms\.<\/li>/,
  );
  assert.ok(
    block.includes(
      '<th scope="col" class="num">source, % of all cores</th><th scope="col" class="num">destination, % of all cores</th>',
    ),
    "the data table has a column per host",
  );
});

cpu("results from before the destination was sampled: no destination line, and the summary says so", () => {
  const old = variant();
  const timeline = old.timeline.map(({ "destination-cpu-percent": _, ...rest }) => rest);
  const page = render([{ ...old, timeline } as VariantResult]);
  const chart = chartData(page)["chart-cpu"]!;
  assert.equal(
    chart.data.datasets.map((d) => d.label),
    ["original (source)"],
  );
  assert.ok(page.includes("; destination not sampled.</li>"));
  assert.ok(page.includes('<td class="num muted">–</td></tr>'), "the table shows the gap");
});

guests.run();
cpu.run();
