// The layout of a run folder, reports/<run-id>/: result.json (the result, byte-identical to --json),
// report.html, scenario.yaml (the scenario file's text as run, so a report can be rendered again later)
// and meta.json (when the run was made). reports/index.html lists the folders. Shared by the CLI, which
// writes run folders, and the server, which keeps its runs in the same layout (plus its status.json).

import * as fs from "node:fs";
import * as path from "node:path";
import { stringAt } from "../report/fields.ts";
import { writeFileAtomic } from "./atomic-write.ts";

export const RESULT_FILE = "result.json";
export const REPORT_FILE = "report.html";
export const SCENARIO_FILE = "scenario.yaml";
export const META_FILE = "meta.json";
export const INDEX_FILE = "index.html";

export interface RunMeta {
  "run-id": string;
  /** ISO 8601, UTC. */
  "created-at": string;
  /** The scenario path as given on the command line. */
  "scenario-file": string;
}

/** Saves what a run folder needs besides the result: the scenario text and meta.json. */
export function writeRunFiles(dir: string, meta: RunMeta, scenarioText: string): void {
  writeFileAtomic(path.join(dir, SCENARIO_FILE), scenarioText);
  writeFileAtomic(path.join(dir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

const RUN_ID_STAMP = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[0-9a-f]{4}$/;

/** The time in a run id (`<slug>-yyyymmdd-hhmmss-xxxx`, UTC), or null. */
export function runIdTime(runId: string): string | null {
  const m = RUN_ID_STAMP.exec(runId);
  if (m === null) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * When the run in `dir` was made: meta.json's time, else the time in the folder's name (runs from before
 * meta.json), else the folder's modification time.
 */
export function runCreatedAt(dir: string): string {
  try {
    const meta: unknown = JSON.parse(fs.readFileSync(path.join(dir, META_FILE), "utf8"));
    const createdAt = stringAt(meta, ["created-at"]);
    if (createdAt !== null && !Number.isNaN(Date.parse(createdAt))) return createdAt;
  } catch {
    // No meta.json, or not JSON: fall through to the older sources.
  }
  return runIdTime(path.basename(dir)) ?? fs.statSync(dir).mtime.toISOString();
}

/** A file's text, or "" when it does not exist (folders from before scenario.yaml was saved). */
export function readIfPresent(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
