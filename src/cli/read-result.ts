// Reading a result.json back for `hintmig report`. The file may be hand-edited, truncated or something else
// entirely, so its shape is checked before the renderer trusts it: a wrong file is the user's to fix (exit
// 2 with the file named), not a crash deep in the renderer.

import * as fs from "node:fs";
import type { RunResult } from "../index.ts";
import { fieldAt, isRecord } from "../report/fields.ts";
import { UsageError } from "./errors.ts";

/** What the renderer relies on, per variant: the path, and the type found there. */
const VARIANT_FIELDS: readonly [readonly string[], "string" | "number" | "array" | "object"][] = [
  [["name"], "string"],
  [["status"], "string"],
  [["total-time"], "number"],
  [["downtime"], "number"],
  [["setup-time"], "number"],
  [["cpu-throttle-percentage"], "number"],
  [["ram"], "object"],
  [["ram", "transferred"], "number"],
  [["ram", "total"], "number"],
  [["ram", "normal"], "number"],
  [["ram", "duplicate"], "number"],
  [["ram", "skipped-free"], "number"],
  [["ram", "page-size"], "number"],
  [["ram", "dirty-sync-count"], "number"],
  [["ram", "mbps"], "number"],
  [["passes"], "array"],
  [["timeline"], "array"],
  [["cpu"], "object"],
  [["cpu", "cores"], "number"],
  [["verification"], "object"],
  [["verification", "mismatches"], "number"],
  [["verification", "mismatched-pages"], "array"],
];

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

/** The first problem that keeps `value` from being a RunResult the renderer can use, or null. */
export function resultProblem(value: unknown): string | null {
  if (!isRecord(value)) return "not a JSON object";
  if (typeof value.scenario !== "string") return "`scenario` is not a string";
  if (typeof value.seed !== "number") return "`seed` is not a number";
  if (!Array.isArray(value.variants) || value.variants.length === 0)
    return "`variants` is not a non-empty list";
  for (const [i, variant] of value.variants.entries()) {
    for (const [path, kind] of VARIANT_FIELDS) {
      const found = kindOf(fieldAt(variant, path));
      if (found !== kind)
        return `variants[${i}].${path.join(".")} is ${found === "undefined" ? "missing" : `a ${found}`}, expected a ${kind}`;
    }
  }
  return null;
}

/** Reads and checks a result.json; a file that is not one is a UsageError naming the file and the problem. */
export function readRunResult(file: string): RunResult {
  const text = fs.readFileSync(file, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON: ${(error as Error).message}`);
  }
  const problem = resultProblem(value);
  if (problem !== null) throw new UsageError(`${file}: not a hintmig result: ${problem}`);
  return value as RunResult;
}
