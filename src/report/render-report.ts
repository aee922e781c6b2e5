// A run's report: one self-contained HTML file (chart.js inlined, no request leaves the page) that a
// virtualization engineer can attach to a mailing-list post. Top to bottom: who won and the headline
// figures, the variants side by side, each guest's figures when a variant migrated several at once, the
// cancels and network faults that cut variants short, model vs published, the charts that explain the figures, postcopy when it ran, and the scenario itself.

import type { RunResult } from "../model.ts";
import { type ChartBlock, type ReportChartConfig, renderChartBlock } from "./chart-block.ts";
import { CHART_SCRIPT } from "./chart-script.ts";
import { chartJsSource } from "./chartjs-source.ts";
import { formatBytes } from "./format.ts";
import { guestsOf, guestsSection } from "./guests.ts";
import { headlineSection } from "./headline.ts";
import { type Html, html } from "./html.ts";
import { interruptionsSection } from "./interruptions.ts";
import { renderPage } from "./page.ts";
import { passBlocks } from "./pass-chart.ts";
import { postcopySection } from "./postcopy.ts";
import { publishedSection } from "./published-table.ts";
import { type ScenarioNotes, scenarioNotes } from "./scenario-text.ts";
import { timeSeriesBlocks } from "./time-series.ts";
import { formatTimestamp } from "./timestamp.ts";
import { variantTableSection } from "./variant-table.ts";

export interface ReportInput {
  runId: string;
  result: RunResult;
  /** The scenario file's text as run (shown verbatim, and read for descriptions). */
  scenarioText: string;
  /** When the run was made, ISO 8601. */
  createdAt: string;
}

interface Sections {
  published: boolean;
  guests: boolean;
  interruptions: boolean;
  postcopy: boolean;
}

/** "8 GiB guest", or for a variant of several guests "16 GiB in 3 guests" (its ram.total is their sum). */
function memoryText(result: RunResult): string {
  const first = result.variants[0];
  if (first === undefined) return "";
  const guests = guestsOf(first).length;
  return guests > 1
    ? ` · ${formatBytes(first.ram.total)} in ${guests} guests`
    : ` · ${formatBytes(first.ram.total)} guest`;
}

function header(input: ReportInput, notes: ScenarioNotes, has: Sections): Html {
  const { result } = input;
  const count = result.variants.length;
  return html`<header>
<h1>${result.scenario}</h1>
<p class="meta">hintmig run <code>${input.runId}</code> · ${formatTimestamp(input.createdAt)} · seed ${result.seed} ·
${count} ${count === 1 ? "variant" : "variants"}${memoryText(result)}</p>
${notes.description === null ? "" : html`<p class="lede">${notes.description}</p>`}
<nav class="toc" aria-label="sections"><a href="#headline">Headline</a><a href="#variants">Variants</a>${
    has.guests ? html`<a href="#guests">Guests</a>` : ""
  }${has.interruptions ? html`<a href="#interruptions">Cancels and faults</a>` : ""}${has.published ? html`<a href="#published">Published</a>` : ""}<a href="#charts">Charts</a>${
    has.postcopy ? html`<a href="#postcopy">Postcopy</a>` : ""
  }<a href="#scenario">Scenario</a></nav>
</header>`;
}

function chartsSection(
  passes: readonly ChartBlock[],
  series: readonly ChartBlock[],
  perGuest: boolean,
): Html {
  return html`<section id="charts" aria-labelledby="h-charts">
<h2 id="h-charts">Charts</h2>
<h3>Bytes per pass</h3>
<p class="note">Guest RAM each pass went through, by how its pages were handled: sent whole (normal), sent as
zero-page markers (a few bytes each on the wire), or skipped because the guest hinted them free (nothing sent).
All variants share one scale.${
    perGuest
      ? " A variant of several guests has a chart per guest: each guest's migration syncs its own bitmap, so its passes are its own."
      : ""
  }</p>
<div class="chart-grid">${passes.map(renderChartBlock)}</div>
<h3>Over time</h3>
<div class="chart-grid wide">${series.map(renderChartBlock)}</div>
</section>`;
}

function scenarioSection(scenarioText: string): Html {
  return html`<section id="scenario" aria-labelledby="h-scenario">
<h2 id="h-scenario">Scenario</h2>
${
  scenarioText.trim() === ""
    ? html`<p class="note">The scenario text was not saved with this run.</p>`
    : html`<pre class="scenario"><code>${scenarioText}</code></pre>`
}
</section>`;
}

export function renderReport(input: ReportInput): string {
  const { result } = input;
  const notes = scenarioNotes(input.scenarioText);
  const passes = passBlocks(result);
  const series = timeSeriesBlocks(result);
  const guests = guestsSection(result, notes);
  const postcopy = postcopySection(result);
  const interruptions = interruptionsSection(result);
  const published = publishedSection(result);
  const charts: Record<string, ReportChartConfig> = {};
  for (const block of [...guests.blocks, ...interruptions.blocks, ...passes, ...series, ...postcopy.blocks])
    charts[block.id] = block.config;

  const body = html`<main>
${header(input, notes, {
  published: published.text !== "",
  guests: guests.blocks.length > 0,
  interruptions: interruptions.blocks.length > 0,
  postcopy: postcopy.blocks.length > 0,
})}
${headlineSection(result, notes)}
${variantTableSection(result)}
${guests.html}
${interruptions.html}
${published}
${chartsSection(passes, series, guests.blocks.length > 0)}
${postcopy.html}
${scenarioSection(input.scenarioText)}
<footer>Generated by hintmig, a simulator: figures are the model's, not measurements (except where marked
published). Charts drawn with chart.js, inlined; this file makes no network requests.</footer>
</main>`;
  return renderPage({
    title: `${result.scenario} — hintmig report`,
    body,
    data: { charts },
    script: `${chartJsSource()}\n;\n${CHART_SCRIPT}`,
  });
}
