// One chart in a report: a heading, the canvas chart.js draws into, a visible text summary (which is also
// the canvas's accessible description) and the plotted numbers as a table in a <details>, for screen
// readers and for copying into a spreadsheet or a mail.

import type { ChartConfiguration } from "chart.js";
import { type Html, html } from "./html.ts";

/** The chart configurations a report uses; JSON only (no callbacks), since they travel in a data block. */
export type ReportChartConfig = ChartConfiguration<"line"> | ChartConfiguration<"bar", number[], string>;

export interface ChartBlock {
  /** The canvas id; also the key of the configuration in the page's data. Never user text. */
  id: string;
  title: string;
  /** What the chart shows, in words: one line per variant or a short paragraph. */
  summary: Html;
  /** The plotted data as one or more tables. */
  table: Html;
  config: ReportChartConfig;
  /** Taller box, for charts whose story is in fine detail. */
  tall?: boolean;
}

export function renderChartBlock(block: ChartBlock): Html {
  const summaryId = `${block.id}-summary`;
  return html`<figure class="chart" aria-labelledby="${block.id}-title">
<figcaption id="${block.id}-title">${block.title}</figcaption>
<div class="chart-box${block.tall === true ? " tall" : ""}"><canvas id="${block.id}" role="img" aria-label="${block.title}" aria-describedby="${summaryId}"></canvas></div>
<div class="summary" id="${summaryId}">${block.summary}</div>
<details><summary>Data: ${block.title}</summary>${block.table}</details>
</figure>`;
}

/** Options every report chart shares: drawn at once, sized by its box, numbers formatted as in the tables. */
export const COMMON_OPTIONS = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  locale: "en-US",
} as const;
