// The line charts over time, one line per variant: dirty pages still to send (does precopy converge?),
// throughput on the wire (is the link the bottleneck?), bytes sent so far (where the bytes went), and
// source host CPU (what the migration costs the host). Each series is cut to MAX_POINTS with min/max buckets, so a 1 TiB run's report stays small.

import type { RunResult, TimelineSample, VariantResult } from "../model.ts";
import { type ChartBlock, COMMON_OPTIONS, type ReportChartConfig } from "./chart-block.ts";
import { downsampleMinMax, type Point } from "./downsample.ts";
import { formatBytes, formatNumber, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";
import { variantColor } from "./palette.ts";
import { type TimeAxis, timeAxis } from "./time-axis.ts";

/** Points per series and chart: ~2 per horizontal pixel of a laptop-width chart. */
export const MAX_POINTS = 500;

interface SeriesSpec {
  id: string;
  title: string;
  /** The y axis title, which is also the table's value column; short, or it is cut on a 260 px chart. */
  yLabel: string;
  value(sample: TimelineSample): number;
  format(value: number): string;
  describe(variant: VariantResult, stats: Stats, axis: TimeAxis): string;
}

interface Stats {
  peak: Point;
  last: Point;
  mean: number;
}

/** Cumulative bytes in MiB, or in GiB once a variant passes 10 GiB (1 TiB runs would read 400,000 MiB). */
function transferredSpec(result: RunResult): SeriesSpec {
  const most = Math.max(0, ...result.variants.map((v) => v.ram.transferred));
  const [unit, bytes] = most >= 10 * 1024 ** 3 ? ["GiB", 1024 ** 3] : ["MiB", 1024 ** 2];
  return {
    id: "chart-transferred",
    title: "Data transferred (ram.transferred) over time",
    yLabel: `${unit} sent`,
    value: (s) => s.transferred / bytes,
    format: (x) => formatNumber(x, 1),
    describe: (v, s, axis) => `${v.name}: ${formatBytes(v.ram.transferred)} by ${axis.format(s.last.x)}.`,
  };
}

const specs = (result: RunResult): readonly SeriesSpec[] => [
  {
    id: "chart-remaining",
    title: "Remaining dirty pages (ram.remaining) over time",
    yLabel: "dirty pages",
    value: (s) => s.remaining,
    format: groupThousands,
    describe: (v, s, axis) =>
      `${v.name}: peak ${groupThousands(s.peak.y)} dirty pages at ${axis.format(s.peak.x)}; ` +
      `${groupThousands(s.last.y)} left at ${axis.format(s.last.x)}.`,
  },
  {
    id: "chart-throughput",
    title: "Throughput on the wire over time, Mbit/s",
    yLabel: "Mbit/s",
    value: (s) => s.mbps,
    format: (x) => formatNumber(x, 0),
    describe: (v, s, axis) =>
      `${v.name}: ${formatNumber(v.ram.mbps, 0)} Mbit/s on average (ram.mbps), ` +
      `peak ${formatNumber(s.peak.y, 0)} Mbit/s at ${axis.format(s.peak.x)}.`,
  },
  transferredSpec(result),
  {
    id: "chart-cpu",
    title: "Source host CPU busy over time, % of all cores",
    yLabel: "% of all cores",
    value: (s) => s["source-cpu-percent"],
    format: (x) => formatNumber(x, 1),
    describe: (v, s, axis) =>
      `${v.name}: ${formatNumber(s.mean, 1)}% of ${v.cpu.cores} cores on average, ` +
      `peak ${formatNumber(s.peak.y, 1)}% at ${axis.format(s.peak.x)}.`,
  },
];

/**
 * A variant's series in axis units. The first sample is taken when `migrate` is issued, before setup has
 * marked any page dirty or any interval has passed, so its zeros are not measurements: it is left out.
 */
function rawSeries(variant: VariantResult, spec: SeriesSpec, axis: TimeAxis): Point[] {
  return variant.timeline.slice(1).map((s) => ({ x: s["time-ms"] / axis.msPerUnit, y: spec.value(s) }));
}

function stats(points: readonly Point[]): Stats | null {
  const last = points.at(-1);
  if (last === undefined) return null;
  let peak = points[0]!;
  let sum = 0;
  for (const p of points) {
    if (p.y > peak.y) peak = p;
    sum += p.y;
  }
  return { peak, last, mean: sum / points.length };
}

function dataTable(name: string, points: readonly Point[], spec: SeriesSpec, axis: TimeAxis): Html {
  return html`<table class="data"><caption>${name}</caption>
<thead><tr><th scope="col" class="num">time ${axis.unit}</th><th scope="col" class="num">${spec.yLabel}</th></tr></thead>
<tbody>${points.map((p) => html`<tr><td class="num">${formatNumber(p.x, 3)}</td><td class="num">${spec.format(p.y)}</td></tr>`)}</tbody>
</table>`;
}

function block(result: RunResult, spec: SeriesSpec, axis: TimeAxis): ChartBlock {
  const series = result.variants.map((variant) => {
    const raw = rawSeries(variant, spec, axis);
    return { variant, raw, shown: downsampleMinMax(raw, MAX_POINTS) };
  });
  const config: ReportChartConfig = {
    type: "line",
    data: {
      datasets: series.map(({ variant, shown }, i) => ({
        label: variant.name,
        data: shown,
        borderColor: variantColor(i),
        backgroundColor: variantColor(i),
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 4,
      })),
    },
    options: {
      ...COMMON_OPTIONS,
      parsing: false,
      normalized: true,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: { type: "linear", min: 0, title: { display: true, text: axis.label } },
        y: { beginAtZero: true, title: { display: true, text: spec.yLabel } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  };
  const lines = series.map(({ variant, raw }) => {
    const s = stats(raw);
    return html`<li>${s === null ? `${variant.name}: no samples.` : spec.describe(variant, s, axis)}</li>`;
  });
  const downsampled = series.some(({ raw, shown }) => shown.length < raw.length);
  return {
    id: spec.id,
    title: spec.title,
    summary: html`<ul>${lines}</ul>${
      downsampled
        ? html`<p class="note">Long series are drawn from ${MAX_POINTS} points each, keeping every interval's minimum and maximum.</p>`
        : ""
    }`,
    table: html`${series.map(({ variant, shown }) => dataTable(variant.name, shown, spec, axis))}`,
    config,
  };
}

export function timeSeriesBlocks(result: RunResult): ChartBlock[] {
  const axis = timeAxis(result);
  return specs(result).map((spec) => block(result, spec, axis));
}
