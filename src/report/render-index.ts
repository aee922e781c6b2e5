// reports/index.html: every run in an output directory, newest first, with its headline figures and a link
// to its report. Entries are plain data the CLI reads leniently from each run folder, so a folder written
// by an older hintmig (no report, fewer fields) still gets a row.

import { formatKb, formatMs, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";
import { renderPage } from "./page.ts";
import { formatTimestamp } from "./timestamp.ts";

export interface IndexVariant {
  name: string;
  status: string;
  transferredBytes: number | null;
  totalTimeMs: number | null;
  downtimeMs: number | null;
  mismatches: number | null;
}

export interface IndexEntry {
  /** The run folder's name, relative to the index. */
  runId: string;
  /** ISO 8601; what orders the list. */
  createdAt: string;
  scenario: string;
  seed: number | null;
  /** Whether the folder holds a report.html (else the row links result.json). */
  hasReport: boolean;
  variants: IndexVariant[];
}

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Newest first; runs made in the same second keep a stable order by id. */
export function sortEntries(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].sort(
    (a, b) => time(b.createdAt) - time(a.createdAt) || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0),
  );
}

const num = (value: number | null, format: (x: number) => string) =>
  html`<td class="num">${value === null ? "–" : format(value)}</td>`;

function verifier(mismatches: number | null): Html {
  if (mismatches === null) return html`<td class="muted">–</td>`;
  if (mismatches === 0) return html`<td>ok</td>`;
  return html`<td class="warn">${groupThousands(mismatches)} ${mismatches === 1 ? "mismatch" : "mismatches"}</td>`;
}

function runBody(entry: IndexEntry): Html {
  const folder = encodeURIComponent(entry.runId);
  const href = `${folder}/${entry.hasReport ? "report.html" : "result.json"}`;
  const variants = entry.variants.length > 0 ? entry.variants : [null];
  const span = variants.length;
  const rows = variants.map((variant, i) => {
    const runCells =
      i === 0
        ? html`<th scope="rowgroup" rowspan="${span}">${formatTimestamp(entry.createdAt)}</th>
<td rowspan="${span}"><a href="${href}">${entry.scenario}</a><br><span class="muted"><code>${entry.runId}</code>${
            entry.seed === null ? "" : ` · seed ${entry.seed}`
          }${entry.hasReport ? "" : " · no report yet"}</span></td>`
        : "";
    if (variant === null) return html`<tr>${runCells}<td colspan="6" class="muted">no variants</td></tr>`;
    return html`<tr>${runCells}<td>${variant.name}</td><td${variant.status === "failed" ? html` class="warn"` : ""}>${
      variant.status
    }</td>${num(variant.transferredBytes, formatKb)}${num(variant.totalTimeMs, formatMs)}${num(
      variant.downtimeMs,
      formatMs,
    )}${verifier(variant.mismatches)}</tr>`;
  });
  return html`<tbody>${rows}</tbody>`;
}

export function renderIndex(entries: readonly IndexEntry[]): string {
  const sorted = sortEntries(entries);
  const body = html`<main>
<header><h1>hintmig runs</h1>
<p class="meta">${sorted.length} ${sorted.length === 1 ? "run" : "runs"}, newest first. Each links to its report.</p></header>
${
  sorted.length === 0
    ? html`<p>No runs yet: <code>npm start</code> makes one.</p>`
    : html`<div class="scroll"><table class="index-table">
<thead><tr><th scope="col">created</th><th scope="col">scenario / run</th><th scope="col">variant</th>
<th scope="col">status</th><th scope="col" class="num">transferred KB</th><th scope="col" class="num">elapsed ms</th>
<th scope="col" class="num">downtime ms</th><th scope="col">verifier</th></tr></thead>
${sorted.map(runBody)}
</table></div>`
}
</main>`;
  return renderPage({ title: "hintmig runs", body });
}
