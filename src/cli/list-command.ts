// `hintmig list [DIR]`: the scenarios found under DIR (default: the bundled scenarios/), one line each.

import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { listBundledScenarios, loadScenarioFile } from "../scenario/load.ts";
import { variantNames } from "../scenario/parse.ts";
import { reportError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";
import { renderTable } from "./table.ts";

/** The bundled scenarios, found from this file so `list` works from any working directory. */
export const BUNDLED_SCENARIOS = fileURLToPath(new URL("../../scenarios", import.meta.url));

export function listCommand(dir: string | undefined, io: Io): ExitCode {
  const root = dir ?? BUNDLED_SCENARIOS;
  let worst: ExitCode = ExitCode.ok;
  const rows: string[][] = [];
  for (const file of listBundledScenarios(root)) {
    const shown = path.relative(process.cwd(), file) || file;
    try {
      const { file: scenario, configs } = loadScenarioFile(file);
      const variants = variantNames(configs).join(", ");
      rows.push([shown, configs[0]?.scenarioName ?? "", variants, oneLine(scenario.description ?? "")]);
    } catch (error) {
      rows.push([shown, "(invalid)", "", "see the problems above"]);
      const code = reportError(error, io);
      if (code > worst) worst = code;
    }
  }
  if (rows.length === 0) {
    io.err(`hintmig: no scenario files (*.yaml, *.yml, *.json) under ${root}\n`);
    return ExitCode.usage;
  }
  io.out(
    renderTable(
      [
        { header: "file", align: "left" },
        { header: "name", align: "left" },
        { header: "variants", align: "left" },
        { header: "description", align: "left" },
      ],
      rows,
    ),
  );
  return worst;
}

/** Descriptions are often folded YAML blocks; a listing wants their first sentence-ish line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
