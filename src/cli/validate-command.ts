// `hintmig validate FILE...`: load every file, report each; one bad file does not hide the others' problems.

import { loadScenarioFile } from "../scenario/load.ts";
import { reportError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";

export function validateCommand(files: readonly string[], io: Io): ExitCode {
  let worst: ExitCode = ExitCode.ok;
  for (const file of files) {
    try {
      const { configs } = loadScenarioFile(file);
      io.out(`${file}: ok (${configs.length} ${configs.length === 1 ? "variant" : "variants"})\n`);
    } catch (error) {
      const code = reportError(error, io);
      if (code > worst) worst = code;
    }
  }
  return worst;
}
