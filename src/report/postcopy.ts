// The postcopy part of a report: page faults on the destination and how long vCPUs were blocked on them.
// Shown only for runs where postcopy ran (page requests, or a postcopy-blocktime figure). The fields are
// read by name and each may be missing, so the section works with results from before postcopy existed
// and with whatever subset of QEMU's postcopy figures a result carries.

import type { RunResult, VariantResult } from "../model.ts";
import { type ChartBlock, COMMON_OPTIONS, renderChartBlock } from "./chart-block.ts";
import { fieldAt, isRecord, numberAt, numbersAt, stringAt } from "./fields.ts";
import { formatKb, formatMs, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";
import { variantClass, variantColor } from "./palette.ts";

export interface PostcopyFigures {
  /** query-migrate's ram.postcopy-requests. */
  requests: number | null;
  /** QEMU's postcopy-blocktime: ms during which all vCPUs were blocked. */
  blocktimeMs: number | null;
  /** QEMU's postcopy-vcpu-blocktime: ms per vCPU. */
  vcpuBlocktimeMs: number[] | null;
  faults: { requested: number; local: number; refused: number } | null;
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  switchMs: number | null;
  policy: string | null;
  bytes: { precopy: number; downtime: number; postcopy: number } | null;
}

/** Where a result may carry a postcopy figure: at the variant's top level (QEMU's place) or in `postcopy`. */
function find<T>(
  variant: VariantResult,
  key: string,
  read: (root: unknown, path: string[]) => T | null,
): T | null {
  return read(variant, [key]) ?? read(variant, ["postcopy", key]) ?? read(variant, ["ram", key]);
}

function allNumbers<K extends string>(root: unknown, keys: readonly K[]): Record<K, number> | null {
  if (!isRecord(root)) return null;
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const value = numberAt(root, [key]);
    if (value === null) return null;
    out[key] = value;
  }
  return out;
}

/** The postcopy figures of a variant, or null when postcopy did not run in it. */
export function postcopyFigures(variant: VariantResult): PostcopyFigures | null {
  const requests = numberAt(variant.ram, ["postcopy-requests"]);
  const blocktimeMs = find(variant, "postcopy-blocktime", numberAt);
  if ((requests ?? 0) <= 0 && blocktimeMs === null) return null;
  const bytes = allNumbers(fieldAt(variant, ["postcopy"]), [
    "precopy-bytes",
    "downtime-bytes",
    "postcopy-bytes",
  ]);
  return {
    requests,
    blocktimeMs,
    vcpuBlocktimeMs: find(variant, "postcopy-vcpu-blocktime", numbersAt),
    faults: allNumbers(fieldAt(variant, ["postcopy", "faults"]), ["requested", "local", "refused"]),
    latencyMs: allNumbers(fieldAt(variant, ["postcopy", "fault-latency-ms"]), ["p50", "p90", "p99", "max"]),
    switchMs: find(variant, "switch-ms", numberAt),
    policy: find(variant, "free-page-policy", stringAt),
    bytes:
      bytes === null
        ? null
        : {
            precopy: bytes["precopy-bytes"],
            downtime: bytes["downtime-bytes"],
            postcopy: bytes["postcopy-bytes"],
          },
  };
}

interface Entry {
  variant: VariantResult;
  index: number;
  figures: PostcopyFigures;
}

function faultsBlock(entries: readonly Entry[]): ChartBlock {
  const split = entries.some((e) => e.figures.faults !== null);
  const labels = entries.map((e) => e.variant.name);
  const datasets = split
    ? [
        {
          label: "requested from the source",
          pick: (f: PostcopyFigures) => f.faults?.requested ?? f.requests ?? 0,
        },
        { label: "resolved locally (zero page)", pick: (f: PostcopyFigures) => f.faults?.local ?? 0 },
        { label: "refused", pick: (f: PostcopyFigures) => f.faults?.refused ?? 0 },
      ]
    : [{ label: "page requests (ram.postcopy-requests)", pick: (f: PostcopyFigures) => f.requests ?? 0 }];
  const colors = ["#3B6EA8", "#5BAA6A", "#C0392B"];
  const rows = entries.map(
    (e) =>
      html`<tr><th scope="row">${e.variant.name}</th>${datasets.map((d) => html`<td class="num">${groupThousands(d.pick(e.figures))}</td>`)}</tr>`,
  );
  return {
    id: "chart-postcopy-faults",
    title: "Postcopy page faults on the destination",
    summary: html`<ul>${entries.map(
      (e) =>
        html`<li>${e.variant.name}: ${datasets.map((d, i) => `${i > 0 ? ", " : ""}${groupThousands(d.pick(e.figures))} ${d.label}`)}.</li>`,
    )}</ul>`,
    table: html`<table class="data"><thead><tr><th scope="col">variant</th>${datasets.map(
      (d) => html`<th scope="col" class="num">${d.label}</th>`,
    )}</tr></thead><tbody>${rows}</tbody></table>`,
    config: {
      type: "bar",
      data: {
        labels,
        datasets: datasets.map((d, i) => ({
          label: d.label,
          data: entries.map((e) => d.pick(e.figures)),
          backgroundColor: colors[i] ?? "#888888",
          stack: "faults",
        })),
      },
      options: {
        ...COMMON_OPTIONS,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: "faults" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    },
  };
}

function blocktimeBlock(entries: readonly Entry[]): ChartBlock {
  const longestVcpu = (f: PostcopyFigures) =>
    f.vcpuBlocktimeMs === null || f.vcpuBlocktimeMs.length === 0 ? 0 : Math.max(...f.vcpuBlocktimeMs);
  return {
    id: "chart-postcopy-blocktime",
    title: "Postcopy vCPU block time",
    summary: html`<ul>${entries.map(
      (e) =>
        html`<li>${e.variant.name}: all vCPUs blocked for ${formatMs(e.figures.blocktimeMs ?? 0)} ms
(postcopy-blocktime); the longest-blocked vCPU for ${formatMs(longestVcpu(e.figures))} ms.</li>`,
    )}</ul>`,
    table: html`<table class="data"><thead><tr><th scope="col">variant</th><th scope="col" class="num">postcopy-blocktime ms</th>
<th scope="col">postcopy-vcpu-blocktime ms</th></tr></thead><tbody>${entries.map(
      (
        e,
      ) => html`<tr><th scope="row">${e.variant.name}</th><td class="num">${formatMs(e.figures.blocktimeMs ?? 0)}</td>
<td>${(e.figures.vcpuBlocktimeMs ?? []).map(formatMs).join(", ") || "–"}</td></tr>`,
    )}</tbody></table>`,
    config: {
      type: "bar",
      data: {
        labels: entries.map((e) => e.variant.name),
        datasets: [
          {
            label: "all vCPUs blocked (postcopy-blocktime)",
            data: entries.map((e) => e.figures.blocktimeMs ?? 0),
            backgroundColor: entries.map((e) => variantColor(e.index)),
          },
          {
            label: "longest-blocked vCPU",
            data: entries.map((e) => longestVcpu(e.figures)),
            backgroundColor: "#A9B4C2",
          },
        ],
      },
      options: {
        ...COMMON_OPTIONS,
        scales: { y: { beginAtZero: true, title: { display: true, text: "ms" } } },
        plugins: { legend: { position: "bottom" } },
      },
    },
  };
}

function figuresTable(entries: readonly Entry[]): Html {
  const row = (label: string, value: (f: PostcopyFigures) => string | null) =>
    html`<tr><th scope="row">${label}</th>${entries.map((e) => html`<td class="num">${value(e.figures) ?? "–"}</td>`)}</tr>`;
  const ms = (x: number | null | undefined) => (x === null || x === undefined ? null : formatMs(x));
  return html`<div class="scroll"><table class="side-by-side">
<thead><tr><th scope="col">figure</th>${entries.map(
    (e) =>
      html`<th scope="col" class="num"><span class="swatch ${variantClass(e.index)}" aria-hidden="true"></span>${e.variant.name}</th>`,
  )}</tr></thead>
<tbody>
${row("free-page policy", (f) => f.policy)}
${row("switch to postcopy at ms", (f) => ms(f.switchMs))}
${row("page requests", (f) => (f.requests === null ? null : groupThousands(f.requests)))}
${row("fault latency p50 / p99 / max ms", (f) =>
  f.latencyMs === null ? null : `${ms(f.latencyMs.p50)} / ${ms(f.latencyMs.p99)} / ${ms(f.latencyMs.max)}`,
)}
${row("postcopy-blocktime ms", (f) => ms(f.blocktimeMs))}
${row("KB before / during / after the switch", (f) =>
  f.bytes === null
    ? null
    : `${formatKb(f.bytes.precopy)} / ${formatKb(f.bytes.downtime)} / ${formatKb(f.bytes.postcopy)}`,
)}
</tbody></table></div>`;
}

/** The postcopy section, or nothing when no variant ran postcopy. */
export function postcopySection(result: RunResult): { html: Html; blocks: ChartBlock[] } {
  const entries = result.variants.flatMap((variant, index) => {
    const figures = postcopyFigures(variant);
    return figures === null ? [] : [{ variant, index, figures }];
  });
  if (entries.length === 0) return { html: html``, blocks: [] };
  const blocks = [faultsBlock(entries), blocktimeBlock(entries)];
  return {
    html: html`<section id="postcopy" aria-labelledby="h-postcopy">
<h2 id="h-postcopy">Postcopy</h2>
${figuresTable(entries)}
<div class="chart-grid">${blocks.map(renderChartBlock)}</div>
</section>`,
    blocks,
  };
}
