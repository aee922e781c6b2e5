// The report bench: renders the report of a 1 TiB run (bench/scenarios/1tib-hinting.yaml), then opens it in
// Chromium five times. Prints one JSON line: the file's size, the time to render the HTML in Node, and the
// browser's time from navigation start to load with every chart drawn (the first, cold, and the median).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runScenario } from "../src/index.ts";
import { renderReport } from "../src/report/index.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { launchChromium, openFile } from "../test/report/chromium.ts";

const SCENARIO = "bench/scenarios/1tib-hinting.yaml";
const LOADS = 5;

const result = runScenario(loadScenarioFile(SCENARIO).configs);
const t0 = performance.now();
const html = renderReport({
  runId: "bench-1tib-hinting",
  result,
  scenarioText: fs.readFileSync(SCENARIO, "utf8"),
  createdAt: new Date().toISOString(),
});
const htmlMs = performance.now() - t0;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hintmig-bench-report-"));
const file = path.join(dir, "report.html");
fs.writeFileSync(file, html);
const browser = await launchChromium();
const renders: number[] = [];
try {
  for (let i = 0; i < LOADS; i++) {
    const { page, errors, renderMs } = await openFile(browser, file);
    if (errors.length > 0) throw new Error(`console errors: ${errors.join("; ")}`);
    if ((await page.getAttribute("html", "data-charts-drawn")) === null) throw new Error("charts not drawn");
    renders.push(renderMs);
    await page.close();
  }
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
const sorted = [...renders].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    case: `report-${result.scenario}`,
    bytes: Buffer.byteLength(html, "utf8"),
    htmlMs,
    firstRenderMs: renders[0],
    medianRenderMs: sorted[Math.floor(sorted.length / 2)],
  }),
);
