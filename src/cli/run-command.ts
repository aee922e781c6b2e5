// `hintmig run FILE`: load, simulate every (or the chosen) variant, write the run folder (result, scenario
// text, HTML report), rebuild the index, and print the figures and paths.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { RunResult, SimConfig } from "../index.ts";
import { runScenario } from "../index.ts";
import { loadScenarioFile } from "../scenario/load.ts";
import { writeRunFiles } from "../store/run-folder.ts";
import { UsageError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { type ProgressReporter, progressFor } from "./progress.ts";
import { comparisonTable, interruptionTable, problemLines, summaryTable } from "./table.ts";
import { rebuildIndex } from "./write-index.ts";
import { writeReport } from "./write-report.ts";
import { makeRunId, resultJson, writeRunResult } from "./write-result.ts";

export interface RunOptions {
  json: boolean;
  seed: number | undefined;
  out: string;
  variant: string[] | undefined;
}

export function runCommand(
  file: string,
  options: RunOptions,
  io: Io,
  progress: (enabled: boolean) => ProgressReporter = (enabled) => progressFor(enabled, process.stderr),
): ExitCode {
  const loaded = loadScenarioFile(file, options.seed === undefined ? {} : { seed: options.seed });
  const configs = selectVariants(file, loaded.configs, options.variant);

  const reporter = progress(io.errIsTty && !options.json);
  let result: RunResult;
  try {
    result = runScenario(configs, { onProgress: (p) => reporter.onProgress(p) });
  } finally {
    reporter.stop();
  }

  const now = new Date();
  const createdAt = now.toISOString();
  const runId = makeRunId(result.scenario, now);
  const written = writeRunResult(options.out, runId, result);
  const dir = path.dirname(written);
  // Read again rather than threaded through the loader, which keeps only the parsed file.
  const scenarioText = readFileSync(file, "utf8");
  writeRunFiles(dir, { "run-id": runId, "created-at": createdAt, "scenario-file": file }, scenarioText);
  const report = writeReport(dir, { runId, result, scenarioText, createdAt });
  rebuildIndex(options.out, (message) => io.err(`hintmig: ${message}\n`));

  // The report never goes to stdout: with --json, stdout is the result's bytes and nothing else.
  if (options.json) {
    io.out(resultJson(result));
    io.err(`result: ${written}\nreport: ${report}\n`);
  } else {
    io.out(summaryTable(result));
    const comparison = comparisonTable(result);
    if (comparison !== null) io.out(`\n${comparison}`);
    const interruptions = interruptionTable(result);
    if (interruptions !== null) io.out(`\n${interruptions}`);
    for (const variant of result.variants) {
      if (variant.interruption !== undefined && variant["error-desc"] !== undefined) {
        io.out(`${variant.name}: ${variant["error-desc"]}\n`);
      }
    }
    io.out(`\nresult: ${written}\nreport: ${report}\n`);
  }

  const problems = problemLines(result);
  for (const line of problems) io.err(`hintmig: ${line}\n`);
  return problems.length === 0 ? ExitCode.ok : ExitCode.failed;
}

/** The configs named by `--variant`, in the scenario's order; every name must exist. */
export function selectVariants(
  file: string,
  configs: readonly SimConfig[],
  names: readonly string[] | undefined,
): SimConfig[] {
  if (names === undefined || names.length === 0) return [...configs];
  const known = configs.map((config) => config.variantName);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `option '--variant': ${unknown.map((name) => `'${name}'`).join(", ")} is not a variant of ${file}; ` +
        `expected one of: ${known.join(", ")}`,
    );
  }
  return configs.filter((config) => names.includes(config.variantName));
}
