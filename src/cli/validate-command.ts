// `hintmig validate FILE...`: load every file, report each; one bad file does not hide the others' problems.

import { loadScenarioFile } from "../scenario/load.ts";
import { variantNames } from "../scenario/parse.ts";
import { reportError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";

export function validateCommand(files: readonly string[], io: Io): ExitCode {
  let worst: ExitCode = ExitCode.ok;
  for (const file of files) {
    try {
      const { configs } = loadScenarioFile(file);
      const variants = variantNames(configs).length;
      const guests = configs.filter((config) => config.guestName !== null).length;
      const migrations = guests > 0 ? `, ${guests} guest migrations` : "";
      io.out(`${file}: ok (${variants} ${variants === 1 ? "variant" : "variants"}${migrations})\n`);
    } catch (error) {
      const code = reportError(error, io);
      if (code > worst) worst = code;
    }
  }
  return worst;
}
