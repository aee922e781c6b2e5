// Plain-text rendering of a run for the terminal. Pure functions of the result, so the layout is tested
// without running anything.

import type { RunResult, VariantResult } from "../index.ts";
import {
  COMPARED_FIGURES,
  formatErrorPercent,
  formatKb,
  formatMs,
  formatVerifier,
  groupThousands,
} from "../report/format.ts";

// The formatters moved to src/report/format.ts so reports and the terminal agree; re-exported for callers.
export { formatErrorPercent, formatKb, formatMs, formatVerifier, groupThousands };

export type Align = "left" | "right";

export interface Column {
  header: string;
  align: Align;
}

/** Columns two spaces apart, text left and numbers right, no trailing blanks. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i] ?? 0;
        return column.align === "left" ? cell.padEnd(width) : cell.padStart(width);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map((row) => line(row))]
    .map((text) => `${text}\n`)
    .join("");
}

const SUMMARY_COLUMNS: readonly Column[] = [
  { header: "variant", align: "left" },
  { header: "status", align: "left" },
  { header: "transferred KB", align: "right" },
  { header: "elapsed ms", align: "right" },
  { header: "downtime ms", align: "right" },
  { header: "setup ms", align: "right" },
  { header: "syncs", align: "right" },
  { header: "src idle %", align: "right" },
  { header: "dst idle %", align: "right" },
  { header: "verifier", align: "left" },
];

/** One row per variant; a variant of several guests is followed by a row per guest, indented. */
export function summaryTable(result: RunResult): string {
  const row = (variant: VariantResult, label: string) => [
    label,
    variant.status,
    formatKb(variant.ram.transferred),
    formatMs(variant["total-time"]),
    formatMs(variant.downtime),
    formatMs(variant["setup-time"]),
    String(variant.ram["dirty-sync-count"]),
    variant.cpu["host-idle-percent"].toFixed(1),
    variant.cpu["destination-idle-percent"].toFixed(1),
    formatVerifier(variant),
  ];
  return renderTable(
    SUMMARY_COLUMNS,
    result.variants.flatMap((variant) => [
      row(variant, variant.name),
      ...(variant.guests ?? []).map((guest) => row(guest, `  ${guest.name}`)),
    ]),
  );
}

const COMPARISON_COLUMNS: readonly Column[] = [
  { header: "variant", align: "left" },
  { header: "figure", align: "left" },
  { header: "published", align: "right" },
  { header: "model", align: "right" },
  { header: "error", align: "right" },
];

/** Model against the published figures, for the variants that have an `expect` block; null if none do. */
export function comparisonTable(result: RunResult): string | null {
  const rows: string[][] = [];
  for (const variant of result.variants) {
    if (variant.expect === undefined) continue;
    for (const figure of COMPARED_FIGURES) {
      const cell = variant.expect[figure.key];
      if (cell === null) continue;
      rows.push([
        variant.name,
        figure.label,
        figure.format(cell.published),
        figure.format(cell.model),
        formatErrorPercent(cell["error-percent"]),
      ]);
    }
  }
  return rows.length === 0 ? null : renderTable(COMPARISON_COLUMNS, rows);
}

const INTERRUPTION_COLUMNS: readonly Column[] = [
  { header: "variant", align: "left" },
  { header: "cause", align: "left" },
  { header: "at ms", align: "right" },
  { header: "latency ms", align: "right" },
  { header: "wasted KB", align: "right" },
  { header: "noticed by", align: "left" },
];

/**
 * Variants that ended early on a command or a network event of their scenario: when it happened, how long
 * until the source said `cancelled` or `failed` (the cancel latency, or the time to detect the break),
 * the bytes thrown away, and which stream and layer noticed; null if none did.
 */
export function interruptionTable(result: RunResult): string | null {
  const rows = result.variants.flatMap((variant) => {
    const i = variant.interruption;
    if (i === undefined) return [];
    return [
      [
        variant.name,
        i.cause,
        formatMs(i["event-ms"]),
        formatMs(i["latency-ms"]),
        formatKb(i["wasted-bytes"]),
        `${i.host}: ${i.channel}, ${i.layer}`,
      ],
    ];
  });
  return rows.length === 0 ? null : renderTable(INTERRUPTION_COLUMNS, rows);
}

/**
 * Why a variant makes the run exit 1: one line per failed variant or verifier mismatch. A variant that
 * failed on a network event its scenario scripts is the scenario's point, not a problem: the
 * interruption table shows it, with its error.
 */
export function problemLines(result: RunResult): string[] {
  const lines: string[] = [];
  for (const variant of result.variants) {
    if (variant.status === "failed" && variant.interruption === undefined) {
      lines.push(`${variant.name}: failed: ${variant["error-desc"] ?? "no reason given"}`);
    }
    const { mismatches, "mismatched-pages": pages, "guest-running-on": runningOn } = variant.verification;
    if (runningOn === "nowhere") {
      lines.push(
        `${variant.name}: verifier: the guest runs nowhere: all ${groupThousands(mismatches)} pages are lost`,
      );
    } else if (mismatches > 0) {
      const listed = pages.slice(0, 4);
      const shown = listed
        .map((page) => `page ${page.page} (source ${page.source}, destination ${page.destination})`)
        .join(", ");
      const more = mismatches > listed.length ? ", ..." : "";
      lines.push(`${variant.name}: verifier: ${formatVerifier(variant)}: ${shown}${more}`);
    }
  }
  return lines;
}
