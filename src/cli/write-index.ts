// Rebuilds <out>/index.html from the run folders present, so it always matches the disk (folders deleted
// by hand disappear from it). Each result.json is read leniently: a folder from an older hintmig, or with
// a damaged result, must not stop a new run from being listed. Runs finishing at the same moment each
// rebuild it and the last write wins: the file is always whole (written atomically), and the next run or
// `hintmig report` brings it up to date.

import * as fs from "node:fs";
import * as path from "node:path";
import { fieldAt, numberAt, stringAt } from "../report/fields.ts";
import { type IndexEntry, type IndexVariant, renderIndex } from "../report/index.ts";
import { INDEX_FILE, REPORT_FILE, RESULT_FILE, runCreatedAt } from "../store/run-folder.ts";
import { writeFileAtomic } from "./write-result.ts";

function variantsOf(result: unknown): IndexVariant[] {
  const variants = fieldAt(result, ["variants"]);
  if (!Array.isArray(variants)) return [];
  return variants.map((v: unknown) => ({
    name: stringAt(v, ["name"]) ?? "?",
    status: stringAt(v, ["status"]) ?? "?",
    transferredBytes: numberAt(v, ["ram", "transferred"]),
    totalTimeMs: numberAt(v, ["total-time"]),
    downtimeMs: numberAt(v, ["downtime"]),
    mismatches: numberAt(v, ["verification", "mismatches"]),
  }));
}

/** The index entry of one run folder, or null when it holds no result.json. */
export function indexEntry(dir: string): IndexEntry | null {
  const resultFile = path.join(dir, RESULT_FILE);
  if (!fs.existsSync(resultFile)) return null;
  const result: unknown = JSON.parse(fs.readFileSync(resultFile, "utf8"));
  const runId = path.basename(dir);
  return {
    runId,
    createdAt: runCreatedAt(dir),
    scenario: stringAt(result, ["scenario"]) ?? runId,
    seed: numberAt(result, ["seed"]),
    hasReport: fs.existsSync(path.join(dir, REPORT_FILE)),
    variants: variantsOf(result),
  };
}

/** Writes `<outDir>/index.html` and returns its path; `warn` hears about folders that were skipped. */
export function rebuildIndex(outDir: string, warn: (message: string) => void): string {
  const entries: IndexEntry[] = [];
  for (const item of fs.readdirSync(outDir, { withFileTypes: true })) {
    if (!item.isDirectory() || item.name.startsWith(".")) continue;
    const dir = path.join(outDir, item.name);
    try {
      const entry = indexEntry(dir);
      if (entry !== null) entries.push(entry);
    } catch (error) {
      warn(`index: skipped ${path.join(dir, RESULT_FILE)}: ${(error as Error).message}`);
    }
  }
  const file = path.join(outDir, INDEX_FILE);
  writeFileAtomic(file, renderIndex(entries));
  return file;
}
