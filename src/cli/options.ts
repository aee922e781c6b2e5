// Parsers for flag values. Each throws commander's InvalidArgumentError, which commander turns into
// "option '--seed <n>' argument 'abc' is invalid. <our reason>": the flag, the value and what was expected.

import { InvalidArgumentError } from "commander";

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(
      `Expected a non-negative integer up to ${Number.MAX_SAFE_INTEGER}, e.g. --seed 42.`,
    );
  }
  return Number(value);
}

export function parseDirectory(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("Expected a directory path.");
  return value;
}

/** Collects `--variant a --variant b` and `--variant a b` alike. */
export function collectVariant(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === "") throw new InvalidArgumentError("Expected a variant name.");
  return [...(previous ?? []), value];
}
