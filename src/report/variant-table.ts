// The variants side by side, one column each, one row per figure, QEMU's field name beside each label so
// a reader can map it to `info migrate` / query-migrate. Like the published tables, but with every counter
// that explains the headline. The best ranked value of the figures people compare is in bold, and each
// column says how far it is from the first variant.

import type { RunResult, VariantResult } from "../model.ts";
import { numberAt } from "./fields.ts";
import { formatBytes, formatKb, formatMs, formatNumber, formatVerifier, groupThousands } from "./format.ts";
import { guestsOf, passCount } from "./guests.ts";
import { type Html, html } from "./html.ts";
import { variantClass } from "./palette.ts";
import { unrankedReason } from "./verdict.ts";

interface Row {
  label: string;
  /** The result field, as a dotted path in query-migrate's names; empty when hintmig-only and derived. */
  field: string;
  value(variant: VariantResult): number | string | null;
  format(value: number): string;
  /** Compared across variants: lowest is best, and the gap to the first variant is shown. */
  compare?: boolean;
}

const count = (value: number) => groupThousands(value);

function baseRows(result: RunResult): Row[] {
  const rows: Row[] = [
    { label: "status", field: "status", value: (v) => v.status, format: String },
    { label: "verifier", field: "verification.mismatches", value: formatVerifier, format: String },
    { label: "guest RAM", field: "ram.total", value: (v) => v.ram.total, format: formatBytes },
    {
      label: "transferred KB",
      field: "ram.transferred",
      value: (v) => v.ram.transferred,
      format: formatKb,
      compare: true,
    },
    {
      label: "elapsed ms",
      field: "total-time",
      value: (v) => v["total-time"],
      format: formatMs,
      compare: true,
    },
    { label: "downtime ms", field: "downtime", value: (v) => v.downtime, format: formatMs, compare: true },
    { label: "setup ms", field: "setup-time", value: (v) => v["setup-time"], format: formatMs },
    // A variant of several guests has no passes of its own: its guests' together.
    { label: "passes", field: "passes", value: passCount, format: count },
    // Setup's first sync counts too: one more than the passes of a completed precopy run.
    {
      label: "bitmap syncs",
      field: "ram.dirty-sync-count",
      value: (v) => v.ram["dirty-sync-count"],
      format: count,
    },
    { label: "pages sent whole", field: "ram.normal", value: (v) => v.ram.normal, format: count },
    { label: "zero pages (markers)", field: "ram.duplicate", value: (v) => v.ram.duplicate, format: count },
    {
      label: "free pages skipped",
      field: "ram.skipped-free",
      value: (v) => v.ram["skipped-free"],
      format: count,
    },
    {
      label: "average Mbit/s",
      field: "ram.mbps",
      value: (v) => v.ram.mbps,
      format: (x) => formatNumber(x, 0),
    },
  ];
  if (result.variants.some((v) => guestsOf(v).length > 0)) {
    // Beside guest RAM, which is then the guests' sum: how many guests each column's totals cover.
    const ram = rows.findIndex((row) => row.field === "ram.total");
    rows.splice(ram + 1, 0, {
      label: "guests",
      field: "guests",
      value: (v) => guestsOf(v).length || 1,
      format: count,
    });
  }
  if (result.variants.some((v) => (numberAt(v.ram, ["postcopy-requests"]) ?? 0) > 0)) {
    rows.push({
      label: "postcopy page requests",
      field: "ram.postcopy-requests",
      value: (v) => numberAt(v.ram, ["postcopy-requests"]),
      format: count,
    });
  }
  rows.push(
    {
      label: "vCPU throttle %",
      field: "cpu-throttle-percentage",
      value: (v) => v["cpu-throttle-percentage"],
      format: (x) => formatNumber(x),
    },
    {
      label: "source host idle %",
      field: "cpu.host-idle-percent",
      value: (v) => numberAt(v.cpu, ["host-idle-percent"]),
      format: (x) => formatNumber(x),
    },
    {
      label: "destination host idle %",
      field: "cpu.destination-idle-percent",
      value: (v) => numberAt(v.cpu, ["destination-idle-percent"]),
      format: (x) => formatNumber(x),
    },
  );
  // Threads differ by variant (the balloon's I/O thread exists only with hinting): the union, in first-seen order.
  const threads = [...new Set(result.variants.flatMap((v) => Object.keys(v.cpu?.threads ?? {})))];
  for (const thread of threads) {
    rows.push({
      label: `${thread} thread busy ms`,
      field: `cpu.threads.${thread}`,
      value: (v) => numberAt(v.cpu?.threads, [thread]),
      format: formatMs,
    });
  }
  return rows;
}

function delta(value: number, base: number): string {
  if (base === 0) return "";
  const percent = ((value - base) / base) * 100;
  const text =
    Math.abs(percent) < 0.05 ? "±0%" : `${percent < 0 ? "−" : "+"}${formatNumber(Math.abs(percent))}%`;
  return text;
}

function cell(row: Row, variant: VariantResult, index: number, result: RunResult, best: number | null): Html {
  const value = row.value(variant);
  if (value === null) return html`<td class="num muted">–</td>`;
  if (typeof value === "string") return html`<td>${value}</td>`;
  const shown = row.format(value);
  const base = result.variants[0];
  const baseValue = base === undefined ? null : row.value(base);
  const gap =
    row.compare === true && index > 0 && typeof baseValue === "number"
      ? html` <span class="delta">${delta(value, baseValue)}</span>`
      : "";
  const isBest = best !== null && value === best && unrankedReason(variant) === null;
  return html`<td class="num" data-field="${row.field}" data-value="${value}">${
    isBest ? html`<strong title="best">${shown}</strong>` : shown
  }${gap}</td>`;
}

/** The lowest value among ranked variants, when there are at least two to compare. */
function bestOf(row: Row, variants: readonly VariantResult[]): number | null {
  if (row.compare !== true) return null;
  const values = variants
    .filter((v) => unrankedReason(v) === null)
    .map((v) => row.value(v))
    .filter((x): x is number => typeof x === "number");
  return values.length < 2 ? null : Math.min(...values);
}

export function variantTableSection(result: RunResult): Html {
  const rows = baseRows(result);
  const head = result.variants.map(
    (v, i) =>
      html`<th scope="col" class="num"><span class="swatch ${variantClass(i)}" aria-hidden="true"></span>${v.name}</th>`,
  );
  const body = rows.map((row) => {
    const best = bestOf(row, result.variants);
    return html`<tr><th scope="row">${row.label}</th><td><code>${row.field}</code></td>${result.variants.map(
      (v, i) => cell(row, v, i, result, best),
    )}</tr>`;
  });
  return html`<section id="variants" aria-labelledby="h-variants">
<h2 id="h-variants">Variants side by side</h2>
<p class="note">${
    result.variants.length > 1
      ? `Percentages compare each variant with the first (${result.variants[0]?.name ?? ""}); the best ranked value is in bold. `
      : ""
  }Field names are query-migrate's; <code>skipped-free</code>, the passes and the CPU figures are hintmig's.</p>
<div class="scroll"><table class="side-by-side">
<thead><tr><th scope="col">figure</th><th scope="col">field</th>${head}</tr></thead>
<tbody>${body}</tbody>
</table></div>
</section>`;
}
