// Where a run's result goes: reports/<run-id>/result.json. The run id carries the wall-clock time and a
// random suffix, so it lives only in the path; the JSON itself stays a pure function of file and seed.

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunResult } from "../index.ts";

/** Lower-case `[a-z0-9-]` only, so the id is safe in a path and a URL on every platform. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    // NFKD splits "é" into "e" and a combining accent; drop the accent, keep the letter.
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "scenario" : slug.slice(0, 64).replace(/-+$/, "");
}

/** `yyyymmdd-hhmmss` in UTC, so ids sort by time whatever the host's zone. */
export function utcStamp(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/** `<slug>-<yyyymmdd-hhmmss>-<4 hex>`; the suffix keeps two runs started in the same second apart. */
export function makeRunId(
  scenarioName: string,
  date: Date,
  suffix: string = randomBytes(2).toString("hex"),
): string {
  return `${slugify(scenarioName)}-${utcStamp(date)}-${suffix}`;
}

/** The file operations `writeFileAtomic` needs; tests swap in failing ones. */
export interface AtomicFs {
  writeFileSync(file: string, data: string): void;
  renameSync(from: string, to: string): void;
  rmSync(file: string, options: { force: boolean }): void;
}

// fsync before the rename: without it a power cut can leave the new name pointing at an empty file.
const durableFs: AtomicFs = {
  writeFileSync(file, data) {
    const fd = fs.openSync(file, "wx");
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  renameSync: fs.renameSync,
  rmSync: fs.rmSync,
};

/**
 * Writes `data` to a temporary file beside `target` and renames it over `target`. A rename within one
 * directory is atomic, so readers (the server, a report generator, a second run) see the old file or the
 * whole new one, never a prefix; if anything fails, the temporary file is removed.
 */
export function writeFileAtomic(target: string, data: string, io: AtomicFs = durableFs): void {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    io.writeFileSync(temp, data);
    io.renameSync(temp, target);
  } catch (error) {
    io.rmSync(temp, { force: true });
    throw error;
  }
}

/** The exact bytes of a result, on stdout (`--json`) and on disk alike. */
export function resultJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Writes `<outDir>/<runId>/result.json` and returns its path (as given, relative if outDir is). */
export function writeRunResult(outDir: string, runId: string, result: RunResult): string {
  const dir = path.join(outDir, runId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "result.json");
  writeFileAtomic(file, resultJson(result));
  return file;
}
