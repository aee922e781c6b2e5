// Chromium for the report tests and the report bench: Debian's /usr/bin/chromium driven by playwright-core
// (no browser download), and the measurements both need: console errors, network requests, render time.

import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Every URL the page requested other than its own file (a self-contained report requests none). */
  requests: string[];
  /** From navigation start until both the load event and the last chart drawn, ms. */
  renderMs: number;
}

/** Opens an HTML file and waits until it has loaded and (for reports) drawn its charts. */
export async function openFile(
  browser: Browser,
  file: string,
  viewport = { width: 1280, height: 900 },
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url, { waitUntil: "load" });
  const renderMs = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    const charts = Number(document.documentElement.getAttribute("data-charts-ready-ms") ?? 0);
    return Math.max(navigation?.loadEventEnd ?? 0, charts);
  });
  return { page, errors, requests, renderMs };
}
