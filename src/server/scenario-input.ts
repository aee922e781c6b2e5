// A POST /runs body → a scenario ready to run. Whatever form it came in (YAML text, a JSON document, the
// name of a bundled scenario), it goes through the CLI's parser, so the problems have the same words and
// paths; then through this server's limits, which name the field to change.

import type { SimConfig } from "../index.ts";
import { parseScenario, ScenarioError } from "../scenario/parse.ts";
import { formatDuration, formatSize } from "../scenario/units.ts";
import type { RunLimits } from "./config.ts";
import { apiError, type ProblemItem } from "./errors.ts";
import type { RunInput } from "./run-service.ts";

/** The file name parse problems carry for a scenario sent in the body. */
export const BODY_FILE_NAME = "request body";

/** Parses scenario text; throws INVALID_SCENARIO listing every problem with its path and line. */
export function scenarioFromText(text: string, fileName: string, seed: number | undefined): RunInput {
  let configs: SimConfig[];
  try {
    configs = parseScenario(text, fileName, seed === undefined ? {} : { seed }).configs;
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const problems: ProblemItem[] = error.problems.map((problem) => ({
      path: problem.path,
      message: problem.message,
      ...(problem.line > 0 ? { line: problem.line, column: problem.column } : {}),
    }));
    const first = problems[0];
    throw apiError(
      "HINTMIG_INVALID_SCENARIO",
      { count: problems.length, first: first === undefined ? "" : describe(first) },
      { problems },
    );
  }
  return { configs, scenarioText: text, scenarioFile: fileName };
}

function describe(problem: ProblemItem): string {
  const where = problem.line === undefined ? "" : `line ${problem.line}: `;
  return `${where}${problem.path === "" ? "" : `${problem.path}: `}${problem.message}`;
}

/** Throws OVER_LIMIT when a variant is bigger or longer than this server runs. */
export function checkLimits(configs: readonly SimConfig[], limits: RunLimits): void {
  const problems: ProblemItem[] = [];
  for (const config of configs) {
    const variant = `variant ${config.variantName}: `;
    if (config.guest.memoryBytes > limits.maxGuestBytes) {
      problems.push({
        path: "guest.memory",
        message:
          `${variant}got ${formatSize(config.guest.memoryBytes)}; expected at most ` +
          `${formatSize(limits.maxGuestBytes)} (this server's HINTMIG_MAX_GUEST)`,
      });
    }
    const simulatedNs = config.migration.startNs + config.simulation.maxMigrationNs;
    if (simulatedNs > limits.maxSimulatedNs) {
      problems.push({
        path: "simulation.max-migration-time",
        message:
          `${variant}migration.start + simulation.max-migration-time is ${formatDuration(simulatedNs)}; ` +
          `expected at most ${formatDuration(limits.maxSimulatedNs)} (this server's HINTMIG_MAX_SIMULATED)`,
      });
    }
  }
  const first = problems[0];
  if (first !== undefined) {
    throw apiError("HINTMIG_OVER_LIMIT", { first: `${first.path}: ${first.message}` }, { problems });
  }
}
