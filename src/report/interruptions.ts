// The cancels and network faults of a run: for each variant a cancel or a broken link ended, when it
// happened, how long until the source said `cancelled` or `failed`, who noticed (which host, stream and
// layer of the transport), what was sent for nothing, and where the guest runs now. Latencies span eight
// orders of magnitude (a daemon aborting its stream in microseconds, TCP giving up after 15 minutes), so
// the chart is logarithmic and the text says each in its own unit. Shown only when something was cut short.

import type { InterruptionResult, RunResult, VariantResult } from "../model.ts";
import { type ChartBlock, COMMON_OPTIONS, renderChartBlock } from "./chart-block.ts";
import { formatBytes, groupThousands } from "./format.ts";
import { type Html, html } from "./html.ts";

interface Entry {
  variant: VariantResult;
  stop: InterruptionResult;
}

const CAUSE_COLORS: Record<InterruptionResult["cause"], string> = {
  migrate_cancel: "#3B6EA8",
  "link-down": "#C0392B",
  "connection-reset": "#D68910",
};

const CAUSE_TEXT: Record<InterruptionResult["cause"], string> = {
  migrate_cancel: "migrate_cancel to cancelled",
  "link-down": "link down to failed",
  "connection-reset": "connection reset to failed",
};

/** A latency in the unit that reads best: µs below a millisecond, ms below a second, then s to 0.1 s. */
export function formatLatency(ms: number): string {
  if (ms < 1) return `${groupThousands(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : groupThousands(ms)} ms`;
  const tenths = Math.round(ms / 100);
  return `${groupThousands(Math.floor(tenths / 10))}.${tenths % 10} s`;
}

function entriesOf(result: RunResult): Entry[] {
  return result.variants.flatMap((variant) =>
    variant.interruption === undefined ? [] : [{ variant, stop: variant.interruption }],
  );
}

function table(entries: readonly Entry[]): Html {
  const cell = (field: string, value: number, text: string) =>
    html`<td class="num" data-field="${field}" data-value="${String(value)}">${text}</td>`;
  return html`<div class="scroll"><table class="data interruptions">
<thead><tr><th scope="col">variant</th><th scope="col">cause</th><th scope="col" class="num">at</th>
<th scope="col" class="num">until the status</th><th scope="col" class="num">sent for nothing</th>
<th scope="col" class="num">pages discarded</th><th scope="col">noticed by</th><th scope="col">guest runs on</th></tr></thead>
<tbody>${entries.map(
    ({ variant, stop }) => html`<tr data-variant="${variant.name}"><th scope="row">${variant.name}</th>
<td>${stop.cause}</td>${cell("interruption.event-ms", stop["event-ms"], formatLatency(stop["event-ms"]))}
${cell("interruption.latency-ms", stop["latency-ms"], formatLatency(stop["latency-ms"]))}
${cell("interruption.wasted-bytes", stop["wasted-bytes"], formatBytes(stop["wasted-bytes"]))}
${cell("interruption.discarded-pages", stop["discarded-pages"], groupThousands(stop["discarded-pages"]))}
<td>${stop.host}: ${stop.channel}, ${stop.layer}</td><td>${variant.verification["guest-running-on"] ?? "–"}</td></tr>`,
  )}</tbody></table></div>
${errors(entries)}`;
}

/** The failures' errors, as QEMU or libvirt would word them. */
function errors(entries: readonly Entry[]): Html {
  const failed = entries.filter((e) => e.variant["error-desc"] !== undefined);
  if (failed.length === 0) return html``;
  return html`<ul class="errors">${failed.map(
    (e) => html`<li><strong>${e.variant.name}</strong>: <code>${e.variant["error-desc"] ?? ""}</code></li>`,
  )}</ul>`;
}

function latencyBlock(entries: readonly Entry[]): ChartBlock {
  // A logarithmic axis has no zero; an instant cancel is drawn at a microsecond.
  const floorMs = 0.001;
  return {
    id: "chart-interruption-latency",
    title: "From the cancel or the fault to cancelled or failed",
    summary: html`<ul>${entries.map(
      ({ variant, stop }) =>
        html`<li>${variant.name}: ${CAUSE_TEXT[stop.cause]} in ${formatLatency(stop["latency-ms"])}.</li>`,
    )}</ul>`,
    table: html`<table class="data"><thead><tr><th scope="col">variant</th><th scope="col">cause</th>
<th scope="col" class="num">latency ms</th></tr></thead><tbody>${entries.map(
      ({ variant, stop }) =>
        html`<tr><th scope="row">${variant.name}</th><td>${stop.cause}</td><td class="num">${String(stop["latency-ms"])}</td></tr>`,
    )}</tbody></table>`,
    tall: entries.length > 8,
    config: {
      type: "bar",
      data: {
        labels: entries.map((e) => e.variant.name),
        datasets: [
          {
            label: "latency, ms (log scale)",
            data: entries.map((e) => Math.max(floorMs, e.stop["latency-ms"])),
            backgroundColor: entries.map((e) => CAUSE_COLORS[e.stop.cause]),
          },
        ],
      },
      options: {
        ...COMMON_OPTIONS,
        indexAxis: "y",
        scales: { x: { type: "logarithmic", title: { display: true, text: "ms (log scale)" } } },
        plugins: { legend: { display: false } },
      },
    },
  };
}

/** What the section shows, from its own figures: the fastest and slowest to know, and the waste. */
function findings(entries: readonly Entry[]): Html {
  const faults = entries.filter((e) => e.stop.cause !== "migrate_cancel");
  const cancels = entries.filter((e) => e.stop.cause === "migrate_cancel");
  const byLatency = (list: readonly Entry[]) =>
    [...list].sort((a, b) => a.stop["latency-ms"] - b.stop["latency-ms"]);
  const lines: Html[] = [];
  const said = (e: Entry) =>
    html`<strong>${e.variant.name}</strong> (${formatLatency(e.stop["latency-ms"])})`;
  if (faults.length > 0) {
    const sorted = byLatency(faults);
    lines.push(
      html`<li>Broken links were noticed soonest by ${said(sorted[0]!)} and latest by ${said(sorted.at(-1)!)}:
the source keeps sending into a dead connection until then.</li>`,
    );
  }
  if (cancels.length > 0) {
    const sorted = byLatency(cancels);
    lines.push(
      html`<li>migrate_cancel took effect soonest in ${said(sorted[0]!)} and waited longest in ${said(sorted.at(-1)!)}.</li>`,
    );
  }
  const wasted = [...entries].sort((a, b) => b.stop["wasted-bytes"] - a.stop["wasted-bytes"])[0]!;
  lines.push(
    html`<li>The most sent for nothing: ${formatBytes(wasted.stop["wasted-bytes"])} by <strong>${wasted.variant.name}</strong>,
all of it discarded with the destination's copy.</li>`,
  );
  return html`<ul class="findings">${lines}</ul>`;
}

/** The section, or nothing when no variant was cancelled or broken off. */
export function interruptionsSection(result: RunResult): { html: Html; blocks: ChartBlock[] } {
  const entries = entriesOf(result);
  if (entries.length === 0) return { html: html``, blocks: [] };
  const blocks = [latencyBlock(entries)];
  return {
    html: html`<section id="interruptions" aria-labelledby="h-interruptions">
<h2 id="h-interruptions">Cancels and network faults</h2>
<p class="note">When each variant's cancel or network fault happened (from its migrate command), how long until the
source reported <code>cancelled</code> or <code>failed</code>, and who noticed. A direct stream learns of a dead link
only when TCP gives up (<code>network.tcp-timeout</code>) and drains its socket on cancel; a daemon relaying the
stream probes its peer and aborts at once.</p>
${findings(entries)}
${table(entries)}
<div class="chart-grid">${blocks.map(renderChartBlock)}</div>
</section>`,
    blocks,
  };
}
