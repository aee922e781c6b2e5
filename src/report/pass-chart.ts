// Bytes per pass, split by how each page was handled: sent whole, sent as a zero-page marker, or skipped
// because the guest hinted it free. Bars measure guest RAM (pages × page size), not wire bytes: a zero
// marker costs a few bytes on the wire and a skipped page none, so wire bytes would hide the very pages
// that explain why hinting and reporting win. Wire bytes are in the table. One chart per variant, all on
// the same y scale, so bar heights compare across variants. A variant of several guests has no passes of its
// own (each guest's migration syncs its own bitmap, at its own times), so it gets one chart per guest.

import type { PassRecord, RunResult, VariantResult } from "../model.ts";
import { type ChartBlock, COMMON_OPTIONS, type ReportChartConfig } from "./chart-block.ts";
import { formatBytes, formatKb, formatMs, formatNumber, groupThousands } from "./format.ts";
import { guestsOf } from "./guests.ts";
import { type Html, html } from "./html.ts";
import { PAGE_KIND_COLORS } from "./palette.ts";

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

interface Unit {
  name: "MiB" | "GiB";
  bytes: number;
}

function passBytes(pass: PassRecord, pageSize: number): number {
  return (pass["normal-pages"] + pass["duplicate-pages"] + pass["skipped-free-pages"]) * pageSize;
}

/** Stage names fit under a few bars; past that they would be rotated into the legend, so only numbers. */
const NAMED_PASSES_UP_TO = 8;

function passLabel(pass: PassRecord, count: number): string {
  return pass.stage === "iterative" || count > NAMED_PASSES_UP_TO
    ? String(pass.pass)
    : `${pass.pass} ${pass.stage}`;
}

function axisTitle(passes: readonly PassRecord[]): string {
  if (passes.length <= NAMED_PASSES_UP_TO) return "pass";
  const first = passes[0]?.stage ?? "";
  const last = passes.at(-1)?.stage ?? "";
  return `pass (1: ${first}, ${passes.length}: ${last})`;
}

function chartFor(variant: VariantResult, unit: Unit, max: number): ReportChartConfig {
  const size = variant.ram["page-size"];
  const amount = (pages: number) => Number(((pages * size) / unit.bytes).toFixed(3));
  const dataset = (label: string, color: string, pick: (p: PassRecord) => number) => ({
    label,
    data: variant.passes.map((p) => amount(pick(p))),
    backgroundColor: color,
    borderWidth: 0,
    stack: "pages",
  });
  return {
    type: "bar",
    data: {
      labels: variant.passes.map((p) => passLabel(p, variant.passes.length)),
      datasets: [
        dataset("normal pages", PAGE_KIND_COLORS.normal, (p) => p["normal-pages"]),
        dataset("zero pages (markers)", PAGE_KIND_COLORS.zero, (p) => p["duplicate-pages"]),
        dataset("skipped free pages", PAGE_KIND_COLORS.skippedFree, (p) => p["skipped-free-pages"]),
      ],
    },
    options: {
      ...COMMON_OPTIONS,
      scales: {
        x: { stacked: true, title: { display: true, text: axisTitle(variant.passes) } },
        y: {
          stacked: true,
          beginAtZero: true,
          // The same top for every variant's chart, so equal heights mean equal bytes.
          suggestedMax: max / unit.bytes,
          title: { display: true, text: `${unit.name} of guest RAM` },
        },
      },
      plugins: { legend: { position: "bottom" } },
    },
  };
}

function summary(variant: VariantResult, label: string): Html {
  const size = variant.ram["page-size"];
  const sum = (pick: (p: PassRecord) => number) => variant.passes.reduce((n, p) => n + pick(p), 0);
  const normal = sum((p) => p["normal-pages"]);
  const zero = sum((p) => p["duplicate-pages"]);
  const skipped = sum((p) => p["skipped-free-pages"]);
  const wire = sum((p) => p["transferred-bytes"]);
  const count = variant.passes.length;
  return html`<p>${label}: ${count} ${count === 1 ? "pass" : "passes"}, ${formatKb(wire)} KB on the wire;
${groupThousands(normal)} pages sent whole (${formatBytes(normal * size)}), ${groupThousands(zero)} as zero markers
(${formatBytes(zero * size)}), ${groupThousands(skipped)} skipped free (${formatBytes(skipped * size)}).</p>`;
}

function table(variant: VariantResult, label: string): Html {
  const rows = variant.passes.map(
    (p) => html`<tr><td class="num">${p.pass}</td><td>${p.stage}</td>
<td class="num">${formatMs(p["start-ms"])}</td><td class="num">${formatMs(p["end-ms"])}</td>
<td class="num">${groupThousands(p["dirty-pages-at-start"])}</td><td class="num">${groupThousands(p["normal-pages"])}</td>
<td class="num">${groupThousands(p["duplicate-pages"])}</td><td class="num">${groupThousands(p["skipped-free-pages"])}</td>
<td class="num">${formatKb(p["transferred-bytes"])}</td><td class="num">${formatNumber(p["cpu-throttle-percentage"])}</td></tr>`,
  );
  return html`<table class="data"><caption>${label}</caption>
<thead><tr><th scope="col" class="num">pass</th><th scope="col">stage</th>
<th scope="col" class="num">start ms</th><th scope="col" class="num">end ms</th><th scope="col" class="num">dirty at start</th>
<th scope="col" class="num">normal pages</th><th scope="col" class="num">zero pages</th>
<th scope="col" class="num">skipped free</th><th scope="col" class="num">transferred KB</th>
<th scope="col" class="num">throttle %</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** A run whose passes get a chart: a variant, or one guest of a variant of several. */
interface PassRun {
  id: string;
  /** "variant" or "variant / guest"; user text, escaped where shown. */
  label: string;
  run: VariantResult;
}

/** Every run with passes, in report order (a variant failing during setup has none, and no chart). */
function passRuns(result: RunResult): PassRun[] {
  return result.variants.flatMap((variant, index): PassRun[] => {
    const guests = guestsOf(variant);
    const runs =
      guests.length === 0
        ? [{ id: `chart-passes-${index}`, label: variant.name, run: variant }]
        : guests.map((guest, g) => ({
            id: `chart-passes-${index}-${g}`,
            label: `${variant.name} / ${guest.name}`,
            run: guest,
          }));
    return runs.filter((r) => r.run.passes.length > 0);
  });
}

export function passBlocks(result: RunResult): ChartBlock[] {
  const runs = passRuns(result);
  const max = Math.max(
    0,
    ...runs.flatMap(({ run }) => run.passes.map((p) => passBytes(p, run.ram["page-size"]))),
  );
  const unit: Unit = max >= 10 * GIB ? { name: "GiB", bytes: GIB } : { name: "MiB", bytes: MIB };
  return runs.map(({ id, label, run }) => ({
    id,
    title: `Bytes per pass: ${label}`,
    summary: summary(run, label),
    table: table(run, label),
    config: chartFor(run, unit, max),
  }));
}
