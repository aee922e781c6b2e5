// Reports as people open them: files made by the CLI, loaded from disk in Chromium. Checks that every chart
// draws, nothing logs an error or leaves the page, the headline equals result.json, a run of several guests
// draws its per-guest charts and tables, a hostile scenario runs nothing, and the index links work. Leaves
// reports/default-report.png for people to look at.

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RunResult } from "../../src/index.ts";
import { formatErrorPercent, formatKb, formatMs } from "../../src/report/format.ts";
import { ROOT, runCli } from "../helpers/cli.ts";
import { makeTempDir, removeDir } from "../helpers/tmp.ts";
import { CHROMIUM, chromiumAvailable, launchChromium, openFile } from "./chromium.ts";

const SCREENSHOT = path.join(ROOT, "reports", "default-report.png");

const HOSTILE_NAME = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
const HOSTILE_VARIANTS = ["</script><script>window.__pwned=4</script>", `" onmouseover="window.__pwned=6`];
const HOSTILE_GUESTS = [
  `<img src=x onerror="window.__pwned=7">`,
  "</script><script>window.__pwned=8</script>",
];
const HOSTILE_SCENARIO = `name: ${JSON.stringify(HOSTILE_NAME)}
description: "<iframe src=\\"javascript:parent.__pwned=3\\"></iframe> & <b>bold</b>"
guest: { memory: 256MiB, vcpus: 1 }
workload:
  - boot: { data: 64MiB }
  - idle: {}
migration: { start: 100ms }
guests:
  - name: ${JSON.stringify(HOSTILE_GUESTS[0])}
    description: "<svg onload=\\"window.__pwned=9\\"></svg>"
  - name: ${JSON.stringify(HOSTILE_GUESTS[1])}
variants:
  - name: ${JSON.stringify(HOSTILE_VARIANTS[0])}
    description: "<svg onload=\\"window.__pwned=5\\"></svg>"
  - name: ${JSON.stringify(HOSTILE_VARIANTS[1])}
    set: { balloon: { free-page-hint: true } }
`;

/** Runs the CLI and returns the run folder it reports. */
async function run(file: string, out: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(["run", file, "--out", out]);
  assert.is(code, 0, stderr);
  const match = /^report: (.+)$/m.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`no report path in:\n${stdout}`);
  return path.dirname(path.resolve(ROOT, match[1]));
}

const readResult = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, "result.json"), "utf8")) as RunResult;

/** Every canvas of the open page: its size and how many of its pixels chart.js painted. */
function canvasPixels(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("canvas")].map((canvas) => {
      const { width, height } = canvas;
      const pixels =
        canvas.getContext("2d")?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray();
      let drawn = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn++;
      return { id: canvas.id, width, height, drawn };
    }),
  );
}

function assertDrawn(canvases: Awaited<ReturnType<typeof canvasPixels>>): void {
  for (const canvas of canvases) {
    assert.ok(canvas.width > 100 && canvas.height > 100, `${canvas.id} is sized`);
    assert.ok(
      canvas.drawn > 0.01 * canvas.width * canvas.height,
      `${canvas.id} has pixels (${canvas.drawn})`,
    );
  }
}

const ci = process.env.CI !== undefined && process.env.CI !== "";
if (!chromiumAvailable() && !ci) {
  console.log(
    `report browser tests SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); CI always runs them`,
  );
  const skipped = suite("report: in Chromium (skipped, no Chromium)");
  skipped.skip("reports render in Chromium", () => {});
  skipped.run();
} else {
  const browser = suite("report: in Chromium");
  let chromium: Browser;
  let out = "";
  const runs = { default: "", hostile: "", published: "", guests: "", faults: "" };

  browser.before(async () => {
    out = makeTempDir();
    const hostileFile = path.join(out, "hostile.yaml");
    fs.writeFileSync(hostileFile, HOSTILE_SCENARIO);
    // Launched first, so `after` closes it even when a run fails (an open browser keeps the process alive).
    chromium = await launchChromium();
    try {
      const [defaultRun, hostileRun, publishedRun, guestsRun, faultsRun] = await Promise.all([
        run("scenarios/default.yaml", out),
        run(hostileFile, out),
        run("scenarios/published/pv-hinting-2016-job-ended.yaml", out),
        run("scenarios/examples/several-guests.yaml", out),
        run("scenarios/examples/network-faults.yaml", out),
      ]);
      // Runs finishing together each rebuild the index and the last write wins, so one may have listed
      // another's folder before its report existed. `report` rebuilds the index from the finished folders.
      const rerender = await runCli(["report", defaultRun]);
      assert.is(rerender.code, 0, rerender.stderr);
      assert.match(rerender.stdout, /^report: .+report\.html\nindex: .+index\.html\n$/);
      runs.default = defaultRun;
      runs.hostile = hostileRun;
      runs.published = publishedRun;
      runs.guests = guestsRun;
      runs.faults = faultsRun;
    } catch (error) {
      // uvu reports a failing `before` only as every test failing, without the error: say it here.
      console.error("report browser tests: setup failed:", error);
      throw error;
    }
  });

  browser.after(async () => {
    await chromium?.close();
    removeDir(out);
  });

  browser("the default report draws every chart, logs no error and requests nothing", async () => {
    const { page, errors, requests } = await openFile(chromium, path.join(runs.default, "report.html"));
    assert.equal(errors, []);
    assert.equal(requests, []);
    const canvases = await canvasPixels(page);
    // Three bytes-per-pass charts (one per variant) and four over time.
    assert.is(canvases.length, 7);
    assert.is(await page.getAttribute("html", "data-charts-drawn"), "7");
    assertDrawn(canvases);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  browser("the headline figures are result.json's", async () => {
    const result = readResult(runs.default);
    const { page } = await openFile(chromium, path.join(runs.default, "report.html"));
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll("article.card")].map((card) => ({
        name: card.querySelector("h3")?.textContent ?? "",
        badges: card.querySelector(".badges")?.textContent ?? "",
        figures: Object.fromEntries(
          [...card.querySelectorAll("dd[data-field]")].map((dd) => [
            dd.getAttribute("data-field"),
            { value: Number(dd.getAttribute("data-value")), text: dd.textContent },
          ]),
        ),
      })),
    );
    assert.is(cards.length, result.variants.length);
    for (const [i, variant] of result.variants.entries()) {
      const card = cards[i]!;
      assert.is(card.name, variant.name);
      assert.ok(card.badges.includes(variant.status));
      assert.ok(card.badges.includes("verifier ok"));
      assert.equal(card.figures["ram.transferred"], {
        value: variant.ram.transferred,
        text: formatKb(variant.ram.transferred),
      });
      assert.equal(card.figures["total-time"], {
        value: variant["total-time"],
        text: formatMs(variant["total-time"]),
      });
      assert.equal(card.figures.downtime, { value: variant.downtime, text: formatMs(variant.downtime) });
    }
    const verdict = await page.textContent(".verdict .lead");
    assert.match(verdict ?? "", /^free-page-hint won/);
    await page.close();
  });

  browser(
    "a run of several guests draws each guest's charts and shows result.json's figures per guest",
    async () => {
      const result = readResult(runs.guests);
      const { page, errors, requests } = await openFile(chromium, path.join(runs.guests, "report.html"));
      assert.equal(errors, []);
      assert.equal(requests, []);
      const grouped = result.variants.filter((v) => (v.guests ?? []).length > 0);
      assert.ok(grouped.length > 0, "the example migrates several guests");
      for (const v of grouped) assert.is(v.passes.length, 0, `${v.name}: no passes at the totals' level`);
      // Bytes per pass for every guest with passes, four charts over time, a bytes-per-guest chart per variant.
      const passCharts = result.variants.reduce(
        (n, v) => n + (v.guests ?? [v]).filter((run) => run.passes.length > 0).length,
        0,
      );
      const canvases = await canvasPixels(page);
      assert.is(canvases.length, passCharts + 4 + grouped.length);
      assert.is(await page.getAttribute("html", "data-charts-drawn"), String(canvases.length));
      assertDrawn(canvases);
      for (const [index, v] of result.variants.entries()) {
        if ((v.guests ?? []).length === 0) continue;
        assert.ok(
          canvases.some((c) => c.id === `chart-guests-${index}`),
          `${v.name}: its guests' bytes over time`,
        );
      }
      const tables = await page.$$eval(".guest-group", (groups) =>
        groups.map((group) =>
          [...group.querySelectorAll("table.guests tr[data-guest]")].map((row) => ({
            name: row.getAttribute("data-guest"),
            status: row.querySelector('[data-field="status"]')?.textContent ?? "",
            verifier: row.querySelector('[data-field="verification.mismatches"]')?.textContent ?? "",
            values: Object.fromEntries(
              [...row.querySelectorAll("td[data-value]")].map((td) => [
                td.getAttribute("data-field"),
                { value: Number(td.getAttribute("data-value")), text: td.textContent },
              ]),
            ),
          })),
        ),
      );
      assert.is(tables.length, grouped.length);
      for (const [i, v] of grouped.entries()) {
        const shown = tables[i]!;
        assert.equal(
          shown.map((row) => row.name),
          v.guests!.map((g) => g.name),
        );
        for (const [j, guest] of v.guests!.entries()) {
          const row = shown[j]!;
          assert.is(row.status, guest.status);
          assert.is(row.verifier, "ok");
          assert.equal(row.values["ram.transferred"], {
            value: guest.ram.transferred,
            text: formatKb(guest.ram.transferred),
          });
          assert.equal(row.values["total-time"], {
            value: guest["total-time"],
            text: formatMs(guest["total-time"]),
          });
          assert.equal(row.values.downtime, { value: guest.downtime, text: formatMs(guest.downtime) });
          assert.equal(row.values["setup-time"], {
            value: guest["setup-time"],
            text: formatMs(guest["setup-time"]),
          });
          assert.is(row.values["ram.dirty-sync-count"]?.value, guest.ram["dirty-sync-count"]);
          assert.is(row.values["cpu.host-idle-percent"]?.value, guest.cpu["host-idle-percent"]);
        }
      }
      const cpuLegend = await page.evaluate(() => {
        const node = document.getElementById("report-data");
        const charts = JSON.parse(node?.textContent ?? "{}").charts as Record<
          string,
          { data: { datasets: { label: string }[] } }
        >;
        return charts["chart-cpu"]?.data.datasets.map((d) => d.label) ?? [];
      });
      assert.equal(
        cpuLegend,
        result.variants.flatMap((v) => [`${v.name} (source)`, `${v.name} (destination)`]),
      );
      await page.close();
    },
  );

  browser("model vs published shows result.json's errors", async () => {
    const result = readResult(runs.published);
    const { page, errors } = await openFile(chromium, path.join(runs.published, "report.html"));
    assert.equal(errors, []);
    const cells = await page.$$eval("#published tbody tr td:last-child", (tds) =>
      tds.map((td) => td.textContent),
    );
    const expected = result.variants.flatMap((v) =>
      (["total-time", "transferred-kb", "downtime"] as const).flatMap((key) => {
        const cell = v.expect?.[key];
        return cell === null || cell === undefined ? [] : [formatErrorPercent(cell["error-percent"])];
      }),
    );
    assert.ok(expected.length > 0);
    assert.equal(cells, expected);
    await page.close();
  });

  browser("a scenario named with HTML and script shows it as text and runs none of it", async () => {
    const { page, errors, requests } = await openFile(chromium, path.join(runs.hostile, "report.html"));
    await page.hover("article.card:nth-of-type(2) h3");
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      injected: document.querySelectorAll("img, iframe, svg, object, embed").length,
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll("*")].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`),
      ),
      title: document.querySelector("h1")?.textContent ?? "",
      variants: [...document.querySelectorAll("article.card h3")].map((h) => h.textContent),
      guests: [...document.querySelectorAll("table.guests tbody th")].map(
        (th) => th.firstChild?.nextSibling?.textContent,
      ),
      guestDescriptions: [...document.querySelectorAll("table.guests tbody th .desc")].map(
        (d) => d.textContent,
      ),
    }));
    assert.is(state.pwned, null);
    assert.is(state.injected, 0);
    assert.is(state.scripts, 2, "the data block and the page's own script");
    assert.equal(state.handlers, []);
    assert.is(state.title, HOSTILE_NAME);
    assert.equal(state.variants, HOSTILE_VARIANTS);
    // Both variants migrate both guests: a table each.
    assert.equal(state.guests, [...HOSTILE_GUESTS, ...HOSTILE_GUESTS]);
    assert.equal(state.guestDescriptions, [
      '<svg onload="window.__pwned=9"></svg>',
      '<svg onload="window.__pwned=9"></svg>',
    ]);
    assert.equal(errors, []);
    assert.equal(requests, []);
    await page.close();
  });

  browser(
    "the network-faults report shows each transport's cancel and fault latency as result.json has it",
    async () => {
      const result = readResult(runs.faults);
      const { page, errors, requests } = await openFile(chromium, path.join(runs.faults, "report.html"));
      assert.equal(errors, []);
      assert.equal(requests, []);
      const canvases = await canvasPixels(page);
      assert.is(await page.getAttribute("html", "data-charts-drawn"), String(canvases.length));
      assertDrawn(canvases);
      assert.ok(canvases.some((c) => c.id === "chart-interruption-latency"));
      const shown = await page.$$eval("#interruptions tr[data-variant]", (rows) =>
        rows.map((row) => ({
          name: row.getAttribute("data-variant"),
          latency: Number(
            row.querySelector('[data-field="interruption.latency-ms"]')?.getAttribute("data-value"),
          ),
        })),
      );
      assert.equal(
        shown,
        result.variants.map((v) => ({ name: v.name, latency: v.interruption!["latency-ms"] })),
      );
      await page.close();
    },
  );

  browser("the index lists every run newest first and its links open the reports", async () => {
    const index = path.join(out, "index.html");
    const { page, errors } = await openFile(chromium, index);
    assert.equal(errors, []);
    const rows = await page.$$eval("tbody", (bodies) =>
      bodies.map((body) => ({
        href: body.querySelector("a")?.getAttribute("href") ?? "",
        id: body.querySelector("code")?.textContent ?? "",
      })),
    );
    assert.is(rows.length, 5);
    const created = rows.map(
      (row) =>
        JSON.parse(fs.readFileSync(path.join(out, row.id, "meta.json"), "utf8"))["created-at"] as string,
    );
    assert.equal(created, [...created].sort().reverse(), "newest first");
    for (const row of rows) {
      const target = fileURLToPath(new URL(row.href, page.url()));
      assert.is(target, path.join(out, row.id, "report.html"));
      assert.ok(fs.existsSync(target));
    }
    await page.close();
  });

  browser.run();
}
