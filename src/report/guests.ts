// Variants that migrated several guests at once between the same two hosts. Their own figures (cards, the
// side-by-side table, the charts over time) are the totals; this section shows what each guest got out of
// the shared link, cores and daemons: a row per guest with the figures people quote, and each guest's bytes
// over time. Each guest's timeline starts at its own migrate command, not at the variant's first one.

import type { RunResult, VariantResult } from "../model.ts";
import { type ChartBlock, renderChartBlock } from "./chart-block.ts";
import { numberAt } from "./fields.ts";
import { formatKb, formatMs, formatNumber, formatVerifier, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";
import { variantClass } from "./palette.ts";
import type { ScenarioNotes } from "./scenario-text.ts";
import { timeAxis } from "./time-axis.ts";
import { timeSeriesBlock, transferredSpec } from "./time-series.ts";

/** A variant's guests, or none when it migrated one (also for results from before several guests). */
export function guestsOf(variant: VariantResult): VariantResult[] {
  return Array.isArray(variant.guests) ? variant.guests : [];
}

/** Passes of a variant, counting every guest's: a variant of several guests keeps none at its own level. */
export function passCount(variant: VariantResult): number {
  const guests = guestsOf(variant);
  return guests.length === 0 ? variant.passes.length : guests.reduce((n, g) => n + g.passes.length, 0);
}

interface Column {
  label: string;
  /** The result field under `guests[]` in result.json; the header's tooltip and each cell's data-field. */
  field: string;
  value(run: VariantResult): number | null;
  format(value: number): string;
}

const COLUMNS: readonly Column[] = [
  { label: "transferred KB", field: "ram.transferred", value: (r) => r.ram.transferred, format: formatKb },
  { label: "elapsed ms", field: "total-time", value: (r) => r["total-time"], format: formatMs },
  { label: "downtime ms", field: "downtime", value: (r) => r.downtime, format: formatMs },
  { label: "setup ms", field: "setup-time", value: (r) => r["setup-time"], format: formatMs },
  {
    label: "bitmap syncs",
    field: "ram.dirty-sync-count",
    value: (r) => r.ram["dirty-sync-count"],
    format: groupThousands,
  },
  {
    label: "source idle %",
    field: "cpu.host-idle-percent",
    value: (r) => numberAt(r.cpu, ["host-idle-percent"]),
    format: (x) => formatNumber(x),
  },
  {
    label: "dest. idle %",
    field: "cpu.destination-idle-percent",
    value: (r) => numberAt(r.cpu, ["destination-idle-percent"]),
    format: (x) => formatNumber(x),
  },
];

function figures(run: VariantResult): Html {
  return html`${COLUMNS.map((column) => {
    const value = column.value(run);
    return value === null
      ? html`<td class="num muted">–</td>`
      : html`<td class="num" data-field="${column.field}" data-value="${value}">${column.format(value)}</td>`;
  })}`;
}

/** Status and verifier as text, marked when they are what makes the variant's totals fail or unranked. */
function outcome(run: VariantResult): Html {
  const verifier = formatVerifier(run);
  return html`<td${run.status === "failed" ? html` class="warn"` : ""} data-field="status">${run.status}</td>${figures(
    run,
  )}<td${verifier === "ok" ? "" : html` class="warn"`} data-field="verification.mismatches">${verifier}</td>`;
}

function guestTable(
  variant: VariantResult,
  index: number,
  guests: readonly VariantResult[],
  notes: ScenarioNotes,
): Html {
  const rows = guests.map((guest, g) => {
    const description = notes.guests.get(guest.name);
    // The swatch is the guest's colour in the chart below.
    return html`<tr data-guest="${guest.name}"><th scope="row"><span class="swatch ${variantClass(g)}" aria-hidden="true"></span>${
      guest.name
    }${description === undefined ? "" : html`<br><span class="desc">${description}</span>`}</th>${outcome(guest)}</tr>`;
  });
  const head = COLUMNS.map(
    (column) => html`<th scope="col" class="num" title="${column.field}">${column.label}</th>`,
  );
  return html`<div class="scroll"><table class="guests" aria-labelledby="h-guests-${index}">
<thead><tr><th scope="col">guest</th><th scope="col">status</th>${head}<th scope="col">verifier</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr class="totals"><th scope="row">all guests</th>${outcome(variant)}</tr></tfoot>
</table></div>`;
}

/** What went wrong for guests that failed: the reason is long, so it goes under the table, not in a cell. */
function failures(guests: readonly VariantResult[]): Html {
  const failed = guests.filter((g) => g.status === "failed");
  if (failed.length === 0) return html``;
  return html`<ul class="why">${failed.map(
    (g) => html`<li><strong>${g.name}</strong> failed: ${g["error-desc"] ?? "no reason given"}</li>`,
  )}</ul>`;
}

/** Each guest's bytes over time, on the report's time axis but counted from the guest's own command. */
function transferredBlock(result: RunResult, variant: VariantResult, index: number): ChartBlock {
  const axis = timeAxis(result);
  const block = timeSeriesBlock(
    guestsOf(variant),
    {
      ...transferredSpec(result),
      id: `chart-guests-${index}`,
      title: `Data transferred per guest over time: ${variant.name}`,
    },
    { ...axis, label: `time since the guest's migrate (${axis.unit})` },
  );
  return {
    ...block,
    summary: html`<p>Times are from each guest's own migrate command (the guests of a scenario usually start
together).</p>${block.summary}`,
  };
}

/** The guests section, or nothing when every variant migrated one guest. */
export function guestsSection(result: RunResult, notes: ScenarioNotes): { html: Html; blocks: ChartBlock[] } {
  const entries = result.variants.flatMap((variant, index) => {
    const guests = guestsOf(variant);
    return guests.length === 0
      ? []
      : [{ variant, index, guests, block: transferredBlock(result, variant, index) }];
  });
  if (entries.length === 0) return { html: html``, blocks: [] };
  return {
    html: html`<section id="guests" aria-labelledby="h-guests">
<h2 id="h-guests">Guests</h2>
<p class="note">Variants that migrated several guests at once, sharing the link, the hosts' cores and, when
tunnelled, the daemons. The figures above are their totals: bytes summed, elapsed time from the first migrate
command to the last end, the longest downtime and setup; the last row of each table repeats them. Here is what
each guest got. A guest's idle % counts only its own threads (its vCPUs, its migration's threads and its share
of the daemons'), over its own elapsed time. Column headers name their result fields on hover.</p>
${entries.map(
  ({ variant, index, guests, block }) => html`<div class="guest-group" id="guests-${index}">
<h3 id="h-guests-${index}"><span class="swatch ${variantClass(index)}" aria-hidden="true"></span>${variant.name}: ${
    guests.length
  } ${guests.length === 1 ? "guest" : "guests"}</h3>
${guestTable(variant, index, guests, notes)}
${failures(guests)}
<div class="chart-grid wide">${renderChartBlock(block)}</div>
</div>`,
)}
</section>`,
    blocks: entries.map((e) => e.block),
  };
}
