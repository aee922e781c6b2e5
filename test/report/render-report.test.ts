// The report's HTML as text: structure, policy, escaping and size. What it looks like and whether its
// charts draw is the browser test's job.

import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { renderReport } from "../../src/report/index.ts";
import { CREATED_AT, runResult, SCENARIO_TEXT, variant } from "./fixtures.ts";
import { scripts, tags } from "./tags.ts";

const MB = 1024 * 1024;

function render(
  result = runResult([variant(), variant({ name: "free-page-hint" })]),
  scenarioText = SCENARIO_TEXT,
) {
  return renderReport({ runId: "default-20261122-054130-f0c8", result, scenarioText, createdAt: CREATED_AT });
}

function policy(page: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page);
  if (m === null) throw new Error("no CSP meta");
  return m[1]!.replace(/&#39;/g, "'");
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

const structure = suite("report: structure");

structure("one self-contained page: chart.js inlined, nothing fetched", () => {
  const page = render();
  assert.match(page, /^<!doctype html>\n<html lang="en">/);
  assert.ok(page.includes("Chart.js v4"), "chart.js is inlined");
  assert.not.match(page, /\ssrc=/, "no src attributes");
  assert.not.match(page, /<link\b/, "no stylesheets or icons to load");
  assert.not.match(page, /sourceMappingURL/);
});

structure("sections: headline, side-by-side table, charts, scenario as YAML", () => {
  const page = render();
  for (const id of ["headline", "variants", "charts", "scenario"])
    assert.ok(page.includes(`<section id="${id}"`), id);
  assert.not.ok(page.includes('<section id="published"'), "no published section without expect");
  assert.not.ok(page.includes('<section id="postcopy"'), "no postcopy section without postcopy");
  assert.ok(page.includes("name: default\ndescription: An 8 GiB guest"), "the scenario text, verbatim");
  assert.ok(page.includes("QEMU without free-page hinting."), "variant descriptions from the scenario");
});

structure("headline figures carry the raw result values and the CLI's formatting", () => {
  const v = variant({ overrides: { ram: { ...variant().ram, transferred: 407_569_408 }, downtime: 4.25 } });
  const page = render(runResult([v]));
  assert.ok(page.includes('data-field="ram.transferred" data-value="407569408">398,017</dd>'));
  assert.ok(page.includes('data-field="total-time" data-value="2000">2,000</dd>'));
  assert.ok(page.includes('data-field="downtime" data-value="4.25">4.3</dd>'));
});

structure("every chart canvas has a summary and a data table next to it", () => {
  const page = render();
  const canvases = [...page.matchAll(/<canvas id="([^"]+)"[^>]*aria-describedby="([^"]+)"/g)];
  // Two variants: a bytes-per-pass chart each, and four charts over time.
  assert.is(canvases.length, 6);
  for (const [, id, described] of canvases) {
    assert.ok(page.includes(`<div class="summary" id="${described}">`), `${id} summary`);
    assert.ok(page.includes(`"${id}":{`), `${id} configuration in the data block`);
  }
  assert.is([...page.matchAll(/<details><summary>Data: /g)].length, 6);
});

structure("model vs published appears when a variant has expect", () => {
  const cell = { published: 1894, model: 1907, "error-percent": 0.69 };
  const page = render(
    runResult([
      variant({ overrides: { expect: { "total-time": cell, "transferred-kb": null, downtime: null } } }),
    ]),
  );
  assert.ok(page.includes('<section id="published"'));
  assert.match(page, /1,894<\/td>\s*<td class="num">1,907<\/td>\s*<td class="num">\+0\.7%<\/td>/);
});

structure("a run whose scenario text was not saved still renders", () => {
  const page = render(undefined, "");
  assert.ok(page.includes("The scenario text was not saved with this run."));
});

const csp = suite("report: Content-Security-Policy");

csp("the policy comes first and allows exactly the page's own script and style", () => {
  const page = render();
  const head = page.slice(0, page.indexOf("</head>"));
  assert.ok(
    head.indexOf("Content-Security-Policy") < head.indexOf("<style>"),
    "policy before the style it governs",
  );
  const executable = scripts(page).filter((s) => s.tag === "<script>");
  assert.is(executable.length, 1, "one script runs");
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
  const rules = policy(page);
  assert.match(rules, /^default-src 'none'; /);
  assert.ok(rules.includes(`script-src ${sha256(executable[0]!.text)};`), "script hash");
  assert.ok(rules.includes(`style-src ${sha256(style)};`), "style hash");
  assert.not.match(rules, /unsafe-inline|unsafe-eval|\*/);
  assert.not.match(page, /\sstyle="/, "no style attributes (the policy would block them)");
});

csp("the data block is JSON that cannot end its element", () => {
  const page = render(runResult([variant({ name: "</script><script>alert(1)</script>" })], "<!--"));
  const data = scripts(page).find((s) => s.tag.includes('type="application/json"'));
  assert.ok(data !== undefined);
  assert.not.ok(data.text.includes("<"));
  assert.ok(JSON.parse(data.text).charts);
});

const hostile = suite("report: user text is escaped");

hostile("scenario names, variant names and descriptions never become markup", () => {
  const evil = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
  const result = runResult(
    [variant({ name: `${evil}-variant` }), variant({ name: `" onmouseover="alert(3)` })],
    evil,
  );
  const scenario = `name: x\ndescription: '${evil}'\nvariants:\n  - name: '${evil}-variant'\n    description: '<iframe src=javascript:alert(4)>'\n`;
  const page = render(result, scenario);
  const found = tags(page);
  const names = new Set(found.map((t) => t.name));
  for (const name of ["img", "iframe", "object", "embed", "form"])
    assert.not.ok(names.has(name), `no <${name}>`);
  for (const [, href] of page.matchAll(/<a href="([^"]*)"/g))
    assert.match(href!, /^#[a-z]+$/, "links stay in the page");
  for (const tag of found) {
    for (const attribute of tag.attributes) {
      assert.not.ok(
        attribute.startsWith("on") || attribute === "src" || attribute === "style",
        `<${tag.name} ${attribute}>`,
      );
    }
  }
  assert.is(
    found.filter((t) => t.name === "script").length,
    2,
    "only the data block and the page's own script",
  );
  assert.ok(page.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"), "shown as text");
});

const size = suite("report: size");

size("a 1 TiB run with four variants of 2000 samples and 31 passes stays under 3 MB", () => {
  const tib = 1024 ** 4;
  const variants = ["original", "free-page-hint", "free-page-reporting", "auto-converge"].map((name) =>
    variant({ name, samples: 2000, passes: 31, memoryBytes: tib }),
  );
  const page = render(runResult(variants));
  const bytes = Buffer.byteLength(page, "utf8");
  assert.ok(bytes < 3 * MB, `${bytes} bytes`);
  const data = JSON.parse(scripts(page).find((s) => s.tag.includes("json"))!.text) as {
    charts: Record<string, { data: { datasets: { data: unknown[] }[] } }>;
  };
  for (const [id, chart] of Object.entries(data.charts)) {
    for (const dataset of chart.data.datasets)
      assert.ok(dataset.data.length <= 500, `${id}: ${dataset.data.length}`);
  }
  assert.ok(page.includes("GiB sent"), "1 TiB runs plot GiB, not hundreds of thousands of MiB");
  assert.ok(page.includes("time since migrate (s)"), "and seconds on the time axis");
});

structure.run();
csp.run();
hostile.run();
size.run();
