// Where a CLI run's result goes: reports/<run-id>/result.json. The run id carries the wall-clock time and a
// random suffix, so it lives only in the path; the JSON itself stays a pure function of file and seed. The
// id scheme, the atomic writer and the JSON bytes live in src/store/, shared with the server; they are
// re-exported here so the CLI's modules keep one import.

import * as fs from "node:fs";
import * as path from "node:path";
import type { RunResult } from "../index.ts";
import { writeFileAtomic } from "../store/atomic-write.ts";
import { resultJson } from "../store/result-json.ts";
import { RESULT_FILE } from "../store/run-folder.ts";

export { type AtomicFs, writeFileAtomic } from "../store/atomic-write.ts";
export { resultJson } from "../store/result-json.ts";
export { makeRunId, slugify, utcStamp } from "../store/run-id.ts";

/** Writes `<outDir>/<runId>/result.json` and returns its path (as given, relative if outDir is). */
export function writeRunResult(outDir: string, runId: string, result: RunResult): string {
  const dir = path.join(outDir, runId);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, RESULT_FILE);
  writeFileAtomic(file, resultJson(result));
  return file;
}
