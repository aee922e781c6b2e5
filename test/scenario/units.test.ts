import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  DURATION_PATTERN,
  formatDuration,
  formatRate,
  formatSize,
  formatSizeExact,
  PERCENT_PATTERN,
  parseDuration,
  parsePercent,
  parseRate,
  parseSize,
  RATE_PATTERN,
  SIZE_PATTERN,
} from "../../src/scenario/units.ts";

function ok(parsed: { ok: boolean; value?: number }): number {
  assert.ok(parsed.ok, `expected a value, got ${JSON.stringify(parsed)}`);
  return parsed.value ?? Number.NaN;
}

function bad(parsed: { ok: boolean; expected?: string }, expected: string): void {
  assert.is(parsed.ok, false);
  assert.is(parsed.expected, expected);
}

const sizes = suite("units: sizes");

sizes("IEC units are powers of 1024", () => {
  assert.is(ok(parseSize("8GiB")), 8 * 2 ** 30);
  assert.is(ok(parseSize("4KiB")), 4096);
  assert.is(ok(parseSize("512KiB")), 524288);
  assert.is(ok(parseSize("398017KiB")), 398017 * 1024);
  assert.is(ok(parseSize("1TiB")), 2 ** 40);
  assert.is(ok(parseSize("3MiB")), 3 * 2 ** 20);
});

sizes("SI units are powers of 1000", () => {
  assert.is(ok(parseSize("400MB")), 400_000_000);
  assert.is(ok(parseSize("1KB")), 1000);
  assert.is(ok(parseSize("2GB")), 2e9);
  assert.is(ok(parseSize("1TB")), 1e12);
  assert.is(ok(parseSize("17B")), 17);
  assert.is(ok(parseSize("0B")), 0);
});

sizes("fractions round to a whole byte", () => {
  assert.is(ok(parseSize("7.6GiB")), Math.round(7.6 * 2 ** 30));
  assert.is(ok(parseSize("7.6GiB")), 8160437862);
  assert.is(ok(parseSize("0.5KiB")), 512);
  assert.is(ok(parseSize("1.0005KB")), 1001);
});

sizes("rejects what is not a size, saying what is expected", () => {
  const expected = 'a size like "8GiB" or "400MB"';
  for (const text of [
    "8G",
    "8K",
    "8",
    "8 GiB",
    "8gib",
    "8gb",
    "GiB",
    "-1GiB",
    "1e3MB",
    ".5GiB",
    "8GiB ",
    "8Gib",
  ]) {
    bad(parseSize(text), expected);
  }
  bad(parseSize(8), expected);
  bad(parseSize(null), expected);
  bad(parseSize(undefined), expected);
});

sizes("a byte count past 2^53 is refused rather than rounded", () => {
  bad(parseSize("9000TiB"), "a size below 8192TiB");
  assert.ok(parseSize("8191TiB").ok);
});

const rates = suite("units: rates");

rates("bytes per second in SI and IEC", () => {
  assert.is(ok(parseRate("120MiB/s")), 120 * 2 ** 20);
  assert.is(ok(parseRate("128MiB/s")), 134217728);
  assert.is(ok(parseRate("300MB/s")), 300e6);
  assert.is(ok(parseRate("8GiB/s")), 8 * 2 ** 30);
  assert.is(ok(parseRate("1B/s")), 1);
});

rates("bits per second are SI and divide by 8", () => {
  assert.is(ok(parseRate("10Gbit/s")), 1.25e9);
  assert.is(ok(parseRate("1Gbit/s")), 125e6);
  assert.is(ok(parseRate("100Mbit/s")), 12.5e6);
  assert.is(ok(parseRate("8Kbit/s")), 1000);
  assert.is(ok(parseRate("8bit/s")), 1);
  assert.is(ok(parseRate("1Tbit/s")), 125e9);
});

rates("rejects sizes without /s and other spellings", () => {
  const expected = 'a rate like "10Gbit/s" or "120MiB/s"';
  for (const text of [
    "10Gbit",
    "10Gb/s",
    "10Gbps",
    "120MiB",
    "120 MiB/s",
    "10Gibit/s",
    "10GBit/s",
    "1/s",
    "fast",
  ]) {
    bad(parseRate(text), expected);
  }
  bad(parseRate(10), expected);
});

const durations = suite("units: durations");

durations("every unit, in whole nanoseconds", () => {
  assert.is(ok(parseDuration("800ns")), 800);
  assert.is(ok(parseDuration("100us")), 100_000);
  assert.is(ok(parseDuration("100µs")), 100_000);
  assert.is(ok(parseDuration("100μs")), 100_000);
  assert.is(ok(parseDuration("300ms")), 300_000_000);
  assert.is(ok(parseDuration("1.5s")), 1_500_000_000);
  assert.is(ok(parseDuration("2min")), 120e9);
  assert.is(ok(parseDuration("1h")), 3600e9);
  assert.is(ok(parseDuration("0s")), 0);
});

durations("fractions of a nanosecond round", () => {
  assert.is(ok(parseDuration("1.4ns")), 1);
  assert.is(ok(parseDuration("1.5ns")), 2);
  assert.is(ok(parseDuration("0.0000001s")), 100);
});

durations("rejects bare numbers and unknown units", () => {
  const expected = 'a duration like "300ms" or "1.5s"';
  for (const text of ["300", "1 s", "1sec", "1m", "1S", "1hr", "ms", "-1s", "1d"]) {
    bad(parseDuration(text), expected);
  }
  bad(parseDuration(300), expected);
});

const percents = suite("units: percent");

percents("0% to 100% as a fraction", () => {
  assert.is(ok(parsePercent("50%")), 0.5);
  assert.is(ok(parsePercent("0%")), 0);
  assert.is(ok(parsePercent("100%")), 1);
  assert.is(ok(parsePercent("100.0%")), 1);
  assert.is(ok(parsePercent("12.5%")), 0.125);
});

percents("rejects out of range and bare numbers", () => {
  const expected = 'a percentage like "10%" (0% to 100%)';
  for (const text of ["101%", "100.5%", "150%", "50", "0.5", "-5%", "50 %", "%"])
    bad(parsePercent(text), expected);
  bad(parsePercent(50), expected);
});

const patterns = suite("units: schema patterns agree with the parsers");

patterns("a string matches the pattern exactly when it parses", () => {
  const cases: [string, (text: unknown) => { ok: boolean }, string[]][] = [
    [SIZE_PATTERN, parseSize, ["8GiB", "400MB", "7.6GiB", "8G", "8 GiB", "1KB", "1kB"]],
    [RATE_PATTERN, parseRate, ["10Gbit/s", "120MiB/s", "10Gbit", "1bit/s", "1kbit/s"]],
    [DURATION_PATTERN, parseDuration, ["300ms", "1.5s", "100µs", "1m", "5min", "1 s"]],
    [PERCENT_PATTERN, parsePercent, ["10%", "100%", "101%", "99.9%", "5"]],
  ];
  for (const [pattern, parse, texts] of cases) {
    const re = new RegExp(pattern);
    for (const text of texts) assert.is(re.test(text), parse(text).ok, `${pattern} vs ${text}`);
  }
});

const formats = suite("units: formatters");

formats("pick the largest unit reached, two decimals at most", () => {
  assert.is(formatSize(8 * 2 ** 30), "8GiB");
  assert.is(formatSize(7.22 * 2 ** 30), "7.22GiB");
  assert.is(formatSize(4096), "4KiB");
  assert.is(formatSize(100), "100B");
  assert.is(formatSize(0), "0B");
  assert.is(formatRate(120 * 2 ** 20), "120MiB/s");
  assert.is(formatDuration(1.5e9), "1.5s");
  assert.is(formatDuration(300e6), "300ms");
  assert.is(formatDuration(90e9), "1.5min");
  assert.is(formatDuration(0), "0ns");
});

formats("formatSizeExact parses back to the same bytes", () => {
  for (const bytes of [4292 * 2 ** 21, 2 ** 30, 4096, 1000, 1]) {
    assert.is(ok(parseSize(formatSizeExact(bytes))), bytes);
  }
  assert.is(formatSizeExact(4292 * 2 ** 21), "8584MiB");
});

sizes.run();
rates.run();
durations.run();
percents.run();
patterns.run();
formats.run();
