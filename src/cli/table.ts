// Plain-text rendering of a run for the terminal. Pure functions of the result, so the layout is tested
// without running anything.

import type { Comparison, RunResult, VariantResult } from "../index.ts";

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

/**
 * An integer with comma thousands separators. Done by hand rather than with toLocaleString so the
 * output does not depend on the host's locale or ICU build.
 */
export function groupThousands(value: number): string {
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ",");
  return rounded < 0 ? `-${grouped}` : grouped;
}

/** Bytes as KiB, the unit QEMU's `info migrate` and the published tables use. */
export function formatKb(bytes: number): string {
  return groupThousands(bytes / 1024);
}

/** Milliseconds: whole above 10 ms, where a fraction is noise; one decimal below, where downtimes live. */
export function formatMs(ms: number): string {
  if (Number.isInteger(ms) || Math.abs(ms) >= 10) return groupThousands(ms);
  return ms.toFixed(1);
}

export function formatVerifier(variant: VariantResult): string {
  const { mismatches } = variant.verification;
  if (mismatches === 0) return "ok";
  return mismatches === 1 ? "1 mismatch" : `${groupThousands(mismatches)} mismatches`;
}

/** Signed, so over- and under-estimates read apart at a glance. */
export function formatErrorPercent(percent: number): string {
  const text = Math.abs(percent).toFixed(1);
  if (text === "0.0") return "0.0%";
  return `${percent < 0 ? "-" : "+"}${text}%`;
}

const SUMMARY_COLUMNS: readonly Column[] = [
  { header: "variant", align: "left" },
  { header: "status", align: "left" },
  { header: "transferred KB", align: "right" },
  { header: "elapsed ms", align: "right" },
  { header: "downtime ms", align: "right" },
  { header: "setup ms", align: "right" },
  { header: "passes", align: "right" },
  { header: "verifier", align: "left" },
];

export function summaryTable(result: RunResult): string {
  return renderTable(
    SUMMARY_COLUMNS,
    result.variants.map((variant) => [
      variant.name,
      variant.status,
      formatKb(variant.ram.transferred),
      formatMs(variant["total-time"]),
      formatMs(variant.downtime),
      formatMs(variant["setup-time"]),
      String(variant.ram["dirty-sync-count"]),
      formatVerifier(variant),
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

const FIGURES: readonly { key: keyof Comparison; label: string; format: (value: number) => string }[] = [
  { key: "total-time", label: "elapsed ms", format: formatMs },
  { key: "transferred-kb", label: "transferred KB", format: groupThousands },
  { key: "downtime", label: "downtime ms", format: formatMs },
];

/** Model against the published figures, for the variants that have an `expect` block; null if none do. */
export function comparisonTable(result: RunResult): string | null {
  const rows: string[][] = [];
  for (const variant of result.variants) {
    if (variant.expect === undefined) continue;
    for (const figure of FIGURES) {
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

/** Why a variant makes the run exit 1: one line per failed variant or verifier mismatch. */
export function problemLines(result: RunResult): string[] {
  const lines: string[] = [];
  for (const variant of result.variants) {
    if (variant.status === "failed") {
      lines.push(`${variant.name}: failed: ${variant["error-desc"] ?? "no reason given"}`);
    }
    const { mismatches, "mismatched-pages": pages } = variant.verification;
    if (mismatches > 0) {
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
