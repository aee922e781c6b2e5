// Reports as people open them: files made by the CLI, loaded from disk in Chromium. Checks that every chart
// draws, nothing logs an error or leaves the page, the headline equals result.json, a hostile scenario runs
// nothing, and the index links work. Leaves reports/default-report.png for people to look at.

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
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
const HOSTILE_SCENARIO = `name: ${JSON.stringify(HOSTILE_NAME)}
description: "<iframe src=\\"javascript:parent.__pwned=3\\"></iframe> & <b>bold</b>"
guest: { memory: 256MiB, vcpus: 1 }
workload:
  - boot: { data: 64MiB }
  - idle: {}
migration: { start: 100ms }
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
  const runs = { default: "", hostile: "", published: "" };

  browser.before(async () => {
    out = makeTempDir();
    const hostileFile = path.join(out, "hostile.yaml");
    fs.writeFileSync(hostileFile, HOSTILE_SCENARIO);
    const [launched, defaultRun, hostileRun, publishedRun] = await Promise.all([
      launchChromium(),
      run("scenarios/default.yaml", out),
      run(hostileFile, out),
      run("scenarios/published/pv-hinting-2016-job-ended.yaml", out),
    ]);
    chromium = launched;
    // Runs finishing together each rebuild the index and the last write wins, so one may have listed
    // another's folder before its report existed. `report` rebuilds the index from the finished folders.
    const rerender = await runCli(["report", defaultRun]);
    assert.is(rerender.code, 0, rerender.stderr);
    assert.match(rerender.stdout, /^report: .+report\.html\nindex: .+index\.html\n$/);
    runs.default = defaultRun;
    runs.hostile = hostileRun;
    runs.published = publishedRun;
  });

  browser.after(async () => {
    await chromium?.close();
    removeDir(out);
  });

  browser("the default report draws every chart, logs no error and requests nothing", async () => {
    const { page, errors, requests } = await openFile(chromium, path.join(runs.default, "report.html"));
    assert.equal(errors, []);
    assert.equal(requests, []);
    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll("canvas")].map((canvas) => {
        const { width, height } = canvas;
        const pixels =
          canvas.getContext("2d")?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray();
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn++;
        return { id: canvas.id, width, height, drawn };
      }),
    );
    // Three bytes-per-pass charts (one per variant) and four over time.
    assert.is(canvases.length, 7);
    assert.is(await page.getAttribute("html", "data-charts-drawn"), "7");
    for (const canvas of canvases) {
      assert.ok(canvas.width > 100 && canvas.height > 100, `${canvas.id} is sized`);
      assert.ok(
        canvas.drawn > 0.01 * canvas.width * canvas.height,
        `${canvas.id} has pixels (${canvas.drawn})`,
      );
    }
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
    }));
    assert.is(state.pwned, null);
    assert.is(state.injected, 0);
    assert.is(state.scripts, 2, "the data block and the page's own script");
    assert.equal(state.handlers, []);
    assert.is(state.title, HOSTILE_NAME);
    assert.equal(state.variants, HOSTILE_VARIANTS);
    assert.equal(errors, []);
    assert.equal(requests, []);
    await page.close();
  });

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
    assert.is(rows.length, 3);
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
