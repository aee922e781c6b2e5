// `hintmig report DIR_OR_RESULT_JSON`: renders a run folder's report.html again from its result.json (after
// a hintmig upgrade, or for folders from before reports existed). The scenario text comes from the folder's
// scenario.yaml when there is one. The index of the folder's parent is rebuilt only if it already has one,
// so pointing at a result.json somewhere else does not litter that directory.

import * as fs from "node:fs";
import * as path from "node:path";
import { INDEX_FILE, RESULT_FILE, readIfPresent, runCreatedAt, SCENARIO_FILE } from "../store/run-folder.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { readRunResult } from "./read-result.ts";
import { rebuildIndex } from "./write-index.ts";
import { writeReport } from "./write-report.ts";

export function reportCommand(target: string, io: Io): ExitCode {
  const isDir = fs.statSync(target).isDirectory();
  const dir = isDir ? target : path.dirname(target);
  const result = readRunResult(isDir ? path.join(target, RESULT_FILE) : target);
  const scenarioText = readIfPresent(path.join(dir, SCENARIO_FILE));
  const runId = path.basename(path.resolve(dir));
  const report = writeReport(dir, { runId, result, scenarioText, createdAt: runCreatedAt(dir) });
  io.out(`report: ${report}\n`);
  const outDir = path.dirname(dir);
  if (fs.existsSync(path.join(outDir, INDEX_FILE))) {
    io.out(`index: ${rebuildIndex(outDir, (message) => io.err(`hintmig: ${message}\n`))}\n`);
  }
  return ExitCode.ok;
}
