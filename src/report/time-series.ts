// The line charts over time, one line per variant: dirty pages still to send (does precopy converge?),
// throughput on the wire (is the link the bottleneck?), bytes sent so far (where the bytes went), and the
// hosts' CPU (what the migration costs each end: the source's migration thread and vCPUs, the destination's
// receive side, which tunnelled and TLS transports load too). Each series is cut to MAX_POINTS with min/max
// buckets, so a 1 TiB run's report stays small.

import type { RunResult, TimelineSample, VariantResult } from "../model.ts";
import { type ChartBlock, COMMON_OPTIONS, type ReportChartConfig } from "./chart-block.ts";
import { downsampleMinMax, type Point } from "./downsample.ts";
import { numberAt } from "./fields.ts";
import { formatBytes, formatNumber, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";
import { variantColor } from "./palette.ts";
import { type TimeAxis, timeAxis } from "./time-axis.ts";

/** Points per series and chart: ~2 per horizontal pixel of a laptop-width chart. */
export const MAX_POINTS = 500;

/** One quantity a chart draws for each run; most charts draw one, the CPU chart one per host. */
interface Line {
  /** Said after the run's name in the legend and the table when a chart has more than one line. */
  label: string | null;
  /** null when the sample lacks the field (results written before it existed). */
  value(sample: TimelineSample): number | null;
  /** Dashed, so two lines of one run (drawn in the run's colour) read apart, also in greyscale print. */
  dashed?: boolean;
}

export interface SeriesSpec {
  id: string;
  title: string;
  /** The y axis title, which is also the table's value column; short, or it is cut on a 260 px chart. */
  yLabel: string;
  lines: readonly Line[];
  /** A taller box, for a chart whose legend has a line per run and host. */
  tall?: boolean;
  format(value: number): string;
  /** One sentence per run; `stats` is per line, null for a line the run has no samples of. */
  describe(run: VariantResult, stats: readonly (Stats | null)[], axis: TimeAxis): string;
}

export interface Stats {
  peak: Point;
  last: Point;
  mean: number;
}

/** Cumulative bytes in MiB, or in GiB once a variant passes 10 GiB (1 TiB runs would read 400,000 MiB). */
export function transferredSpec(result: RunResult): SeriesSpec {
  const most = Math.max(0, ...result.variants.map((v) => v.ram.transferred));
  const [unit, bytes] = most >= 10 * 1024 ** 3 ? ["GiB", 1024 ** 3] : ["MiB", 1024 ** 2];
  return {
    id: "chart-transferred",
    title: "Data transferred (ram.transferred) over time",
    yLabel: `${unit} sent`,
    lines: [{ label: null, value: (s) => s.transferred / bytes }],
    format: (x) => formatNumber(x, 1),
    describe: (v, [s], axis) => `${v.name}: ${formatBytes(v.ram.transferred)} by ${axis.format(s!.last.x)}.`,
  };
}

/** A host's share of the CPU chart's sentence: its mean and its peak. */
function hostCpu(host: string, s: Stats | null | undefined, axis: TimeAxis): string {
  if (s === null || s === undefined) return `${host} not sampled`;
  return `${host} ${formatNumber(s.mean, 1)}% on average, peak ${formatNumber(s.peak.y, 1)}% at ${axis.format(s.peak.x)}`;
}

const specs = (result: RunResult): readonly SeriesSpec[] => [
  {
    id: "chart-remaining",
    title: "Remaining dirty pages (ram.remaining) over time",
    yLabel: "dirty pages",
    lines: [{ label: null, value: (s) => s.remaining }],
    format: groupThousands,
    describe: (v, [s], axis) =>
      `${v.name}: peak ${groupThousands(s!.peak.y)} dirty pages at ${axis.format(s!.peak.x)}; ` +
      `${groupThousands(s!.last.y)} left at ${axis.format(s!.last.x)}.`,
  },
  {
    id: "chart-throughput",
    title: "Throughput on the wire over time, Mbit/s",
    yLabel: "Mbit/s",
    lines: [{ label: null, value: (s) => s.mbps }],
    format: (x) => formatNumber(x, 0),
    describe: (v, [s], axis) =>
      `${v.name}: ${formatNumber(v.ram.mbps, 0)} Mbit/s on average (ram.mbps), ` +
      `peak ${formatNumber(s!.peak.y, 0)} Mbit/s at ${axis.format(s!.peak.x)}.`,
  },
  transferredSpec(result),
  {
    id: "chart-cpu",
    title: "Host CPU busy over time, % of all cores: source solid, destination dashed",
    yLabel: "% of all cores",
    lines: [
      { label: "source", value: (s) => s["source-cpu-percent"] },
      // Read by name: results written before the destination was sampled lack the field, and then the
      // line is left out rather than drawn as an idle host.
      { label: "destination", value: (s) => numberAt(s, ["destination-cpu-percent"]), dashed: true },
    ],
    tall: true,
    format: (x) => formatNumber(x, 1),
    describe: (v, [source, destination], axis) =>
      `${v.name} (${v.cpu.cores} cores per host): ${hostCpu("source", source, axis)}; ` +
      `${hostCpu("destination", destination, axis)}.`,
  },
];

/**
 * A run's samples of one line, x as sample indexes (so the lines of one run can share a table), without
 * samples that lack the value. The first sample is taken when `migrate` is issued, before setup has marked
 * any page dirty or any interval has passed, so its zeros are not measurements: it is left out.
 */
function indexed(run: VariantResult, line: Line): Point[] {
  const points: Point[] = [];
  run.timeline.forEach((sample, i) => {
    const y = i === 0 ? null : line.value(sample);
    if (y !== null && Number.isFinite(y)) points.push({ x: i, y });
  });
  return points;
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

interface RunSeries {
  run: VariantResult;
  /** Per line of the spec: every sample, and the samples drawn; x in axis units. */
  raw: Point[][];
  shown: Point[][];
  /** The sample indexes the table lists: those drawn by any line, in order. */
  rows: number[];
}

function series(run: VariantResult, spec: SeriesSpec, axis: TimeAxis): RunSeries {
  const at = (i: number) => (run.timeline[i]?.["time-ms"] ?? 0) / axis.msPerUnit;
  const inAxis = (points: readonly Point[]) => points.map((p) => ({ x: at(p.x), y: p.y }));
  const byIndex = spec.lines.map((line) => indexed(run, line));
  const kept = byIndex.map((points) => downsampleMinMax(points, MAX_POINTS));
  const rows = [...new Set(kept.flatMap((points) => points.map((p) => p.x)))].sort((a, b) => a - b);
  return { run, raw: byIndex.map(inAxis), shown: kept.map(inAxis), rows };
}

function columnLabel(spec: SeriesSpec, line: Line): string {
  return line.label === null ? spec.yLabel : `${line.label}, ${spec.yLabel}`;
}

function dataTable(s: RunSeries, spec: SeriesSpec, axis: TimeAxis): Html {
  const cell = (line: Line, i: number) => {
    const sample = s.run.timeline[i];
    const y = sample === undefined ? null : line.value(sample);
    return y === null ? html`<td class="num muted">–</td>` : html`<td class="num">${spec.format(y)}</td>`;
  };
  const rows = s.rows.map((i) => {
    const x = (s.run.timeline[i]?.["time-ms"] ?? 0) / axis.msPerUnit;
    return html`<tr><td class="num">${formatNumber(x, 3)}</td>${spec.lines.map((line) => cell(line, i))}</tr>`;
  });
  return html`<table class="data"><caption>${s.run.name}</caption>
<thead><tr><th scope="col" class="num">time ${axis.unit}</th>${spec.lines.map(
    (line) => html`<th scope="col" class="num">${columnLabel(spec, line)}</th>`,
  )}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/**
 * One chart of `runs` (the variants of a run, or the guests of one variant), a line per run and line of the
 * spec, coloured by the run's place in `runs`.
 */
export function timeSeriesBlock(
  runs: readonly VariantResult[],
  spec: SeriesSpec,
  axis: TimeAxis,
): ChartBlock {
  const all = runs.map((run) => series(run, spec, axis));
  const config: ReportChartConfig = {
    type: "line",
    data: {
      datasets: all.flatMap(({ run, shown }, i) =>
        spec.lines.flatMap((line, j) => {
          const data = shown[j] ?? [];
          // A line the run has no samples of is left out, not drawn flat at zero.
          if (data.length === 0) return [];
          return [
            {
              label:
                line.label === null || spec.lines.length === 1 ? run.name : `${run.name} (${line.label})`,
              data,
              borderColor: variantColor(i),
              borderWidth: 1.5,
              // The legend draws a box filled with the background and outlined as the line: a dashed line
              // gets a hollow dashed box, which tells it from the solid one. (A point-style legend would
              // show lines, but chart.js draws them without the dataset's dash.)
              ...(line.dashed === true
                ? { borderDash: [6, 3], backgroundColor: "#ffffff" }
                : { backgroundColor: variantColor(i) }),
              pointRadius: 0,
              pointHitRadius: 4,
            },
          ];
        }),
      ),
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
  const lines = all.map(({ run, raw }) => {
    const each = raw.map(stats);
    return html`<li>${each.every((s) => s === null) ? `${run.name}: no samples.` : spec.describe(run, each, axis)}</li>`;
  });
  const downsampled = all.some(({ raw, shown }) =>
    raw.some((points, j) => (shown[j]?.length ?? 0) < points.length),
  );
  return {
    id: spec.id,
    title: spec.title,
    summary: html`<ul>${lines}</ul>${
      downsampled
        ? html`<p class="note">Long series are drawn from ${MAX_POINTS} points each, keeping every interval's minimum and maximum.</p>`
        : ""
    }`,
    table: html`${all.map((s) => dataTable(s, spec, axis))}`,
    config,
    ...(spec.tall === true ? { tall: true } : {}),
  };
}

export function timeSeriesBlocks(result: RunResult): ChartBlock[] {
  const axis = timeAxis(result);
  return specs(result).map((spec) => timeSeriesBlock(result.variants, spec, axis));
}
