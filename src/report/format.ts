// Number formatting shared by the terminal tables and the HTML reports, so a figure reads the same in both
// (a report quoted on a mailing list must match what `hintmig run` printed).

import type { Comparison, VariantResult } from "../model.ts";

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

/** A value with grouped thousands and at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(value: number, digits = 1): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return groupThousands(value);
  return String(Number(value.toFixed(digits)));
}

const BINARY_UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"] as const;

/** Bytes in the largest binary unit that keeps the figure at or above 1 ("7.6 GiB"), for prose. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${groupThousands(value)} bytes` : `${formatNumber(value, 1)} ${BINARY_UNITS[unit]}`;
}

/** The published figures a variant can be compared against, in the order the tables show them. */
export const COMPARED_FIGURES: readonly {
  key: keyof Comparison;
  label: string;
  format: (value: number) => string;
}[] = [
  { key: "total-time", label: "elapsed ms", format: formatMs },
  { key: "transferred-kb", label: "transferred KB", format: groupThousands },
  { key: "downtime", label: "downtime ms", format: formatMs },
];
