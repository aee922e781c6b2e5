// Quantities with units, as scenario files write them ("8GiB", "10Gbit/s", "300ms", "50%"). Each kind has a
// regex (used verbatim as the JSON Schema `pattern`, so editors flag the same strings we reject), a parser
// into the core's units and a formatter back for messages. Parsers never throw: they return what was
// expected, so the caller can attach a file position.

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

/** A decimal number without sign or exponent: scenario values are magnitudes, and "1e9" hides its unit. */
const NUMBER = "([0-9]+(?:\\.[0-9]+)?)";

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** Link rates are quoted in bits, SI (10 Gbit/s is 1.25e9 bytes/s). */
const BIT_UNITS: Readonly<Record<string, number>> = {
  bit: 1 / 8,
  Kbit: 1e3 / 8,
  Mbit: 1e6 / 8,
  Gbit: 1e9 / 8,
  Tbit: 1e12 / 8,
};

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  // Both the micro sign (U+00B5) and the Greek mu (U+03BC): keyboards produce either.
  "\u00b5s": 1e3,
  "\u03bcs": 1e3,
  ms: 1e6,
  s: 1e9,
  min: 60e9,
  h: 3600e9,
};

export const SIZE_PATTERN = `^${NUMBER}((?:[KMGT]i?)?B)$`;
export const RATE_PATTERN = `^${NUMBER}((?:[KMGT]i?)?B|[KMGT]?bit)/s$`;
export const DURATION_PATTERN = `^${NUMBER}(ns|us|\u00b5s|\u03bcs|ms|s|min|h)$`;
/** 0% to 100% in the pattern itself, so editors reject "120%" too. */
export const PERCENT_PATTERN = "^(100(?:\\.0+)?|[0-9]{1,2}(?:\\.[0-9]+)?)%$";

export const SIZE_EXPECTED = 'a size like "8GiB" or "400MB"';
export const RATE_EXPECTED = 'a rate like "10Gbit/s" or "120MiB/s"';
export const DURATION_EXPECTED = 'a duration like "300ms" or "1.5s"';
export const PERCENT_EXPECTED = 'a percentage like "10%" (0% to 100%)';

/** What each unit pattern asks for, in words; lets schema errors on unit fields say more than "pattern". */
export const UNIT_EXPECTED: Readonly<Record<string, string>> = {
  [SIZE_PATTERN]: SIZE_EXPECTED,
  [RATE_PATTERN]: RATE_EXPECTED,
  [DURATION_PATTERN]: DURATION_EXPECTED,
  [PERCENT_PATTERN]: PERCENT_EXPECTED,
};

const SIZE_RE = new RegExp(SIZE_PATTERN);
const RATE_RE = new RegExp(RATE_PATTERN);
const DURATION_RE = new RegExp(DURATION_PATTERN);
const PERCENT_RE = new RegExp(PERCENT_PATTERN);

/** Splits "7.6GiB" into 7.6 and its unit's factor, or null when the text does not match. */
function match(re: RegExp, text: unknown, units: Readonly<Record<string, number>>): number | null {
  if (typeof text !== "string") return null;
  const m = re.exec(text);
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  const factor = units[m[2]];
  return factor === undefined ? null : Number(m[1]) * factor;
}

/** Bytes, rounded to a whole byte ("7.6GiB" is not a whole number of bytes). */
export function parseSize(text: unknown): Parsed<number> {
  const raw = match(SIZE_RE, text, SIZE_UNITS);
  if (raw === null) return { ok: false, expected: SIZE_EXPECTED };
  const value = Math.round(raw);
  // Past 2^53 byte counts stop being exact integers.
  if (!Number.isSafeInteger(value)) return { ok: false, expected: "a size below 8192TiB" };
  return { ok: true, value };
}

/** Bytes per second; not rounded, since bit rates divide by 8. */
export function parseRate(text: unknown): Parsed<number> {
  if (typeof text === "string") {
    const m = RATE_RE.exec(text);
    if (m !== null && m[1] !== undefined && m[2] !== undefined) {
      const factor = SIZE_UNITS[m[2]] ?? BIT_UNITS[m[2]];
      if (factor !== undefined) {
        const value = Number(m[1]) * factor;
        if (Number.isFinite(value)) return { ok: true, value };
      }
    }
  }
  return { ok: false, expected: RATE_EXPECTED };
}

/** Whole nanoseconds, the core's clock unit. */
export function parseDuration(text: unknown): Parsed<number> {
  const raw = match(DURATION_RE, text, DURATION_UNITS);
  if (raw === null) return { ok: false, expected: DURATION_EXPECTED };
  const value = Math.round(raw);
  // The core's clock is exact up to 2^53 ns.
  if (!Number.isSafeInteger(value)) return { ok: false, expected: "a duration below 104 days (2500h)" };
  return { ok: true, value };
}

/** A fraction from 0 to 1. */
export function parsePercent(text: unknown): Parsed<number> {
  if (typeof text !== "string") return { ok: false, expected: PERCENT_EXPECTED };
  const m = PERCENT_RE.exec(text);
  if (m === null || m[1] === undefined) return { ok: false, expected: PERCENT_EXPECTED };
  return { ok: true, value: Number(m[1]) / 100 };
}

/** Up to two decimals, trailing zeros dropped: 7.2199 → "7.22", 8 → "8". */
function short(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** Picks the largest unit the value reaches, so numbers in messages read like the file's own. */
function scaled(value: number, units: readonly (readonly [string, number])[]): string {
  for (const [unit, factor] of units) {
    if (Math.abs(value) >= factor) return `${short(value / factor)}${unit}`;
  }
  const last = units[units.length - 1];
  return last === undefined ? String(value) : `${short(value / last[1])}${last[0]}`;
}

const IEC_SIZES = [
  ["TiB", 2 ** 40],
  ["GiB", 2 ** 30],
  ["MiB", 2 ** 20],
  ["KiB", 2 ** 10],
  ["B", 1],
] as const;

const DURATIONS = [
  ["h", 3600e9],
  ["min", 60e9],
  ["s", 1e9],
  ["ms", 1e6],
  ["us", 1e3],
  ["ns", 1],
] as const;

/** 8589934592 → "8GiB". */
export function formatSize(bytes: number): string {
  return scaled(bytes, IEC_SIZES);
}

/** In the largest unit that divides it exactly, so the text parses back to the same bytes: "8584MiB". */
export function formatSizeExact(bytes: number): string {
  const unit = IEC_SIZES.find(([, factor]) => bytes % factor === 0 && bytes >= factor) ?? ["B", 1];
  return `${bytes / unit[1]}${unit[0]}`;
}

/** 125829120 → "120MiB/s". */
export function formatRate(bytesPerSec: number): string {
  return `${scaled(bytesPerSec, IEC_SIZES)}/s`;
}

/** 1500000000 → "1.5s". */
export function formatDuration(ns: number): string {
  return scaled(ns, DURATIONS);
}
