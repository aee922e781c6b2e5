// The hintmig command line: commander wiring only; each command lives in its own file.
// Usage errors exit 2, failed runs 1, our own bugs 70 (see exit-codes.ts).

import { realpathSync } from "node:fs";
import { Command, Option } from "commander";
import { reportError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import { type Io, processIo } from "./io.ts";
import { listCommand } from "./list-command.ts";
import { collectVariant, parseDirectory, parseSeed } from "./options.ts";
import { reportCommand } from "./report-command.ts";
import { type RunOptions, runCommand } from "./run-command.ts";
import { validateCommand } from "./validate-command.ts";

export function buildProgram(io: Io, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command("hintmig")
    .description("Simulate VM live migration: precopy, free-page hinting, postcopy.")
    // Throw instead of calling process.exit, so every error goes through reportError and gets exit 2.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(text.replace(/^error: /, "hintmig: ")),
    })
    .showHelpAfterError("(add --help for usage)");

  program
    .command("run")
    .description("run a scenario's variants and write reports/<run-id>/ (result.json, report.html)")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--json", "print the result as JSON on stdout, and nothing else", false)
    .option("--seed <n>", "seed for the scenario's random streams (default: the file's)", parseSeed)
    .addOption(
      new Option("--out <dir>", "directory for run folders").default("reports").argParser(parseDirectory),
    )
    .option("--variant <name...>", "run only these variants (repeatable)", collectVariant)
    .action((file: string, options: RunOptions) => {
      setExitCode(runCommand(file, options, io));
    });

  program
    .command("report")
    .description("render a run folder's report.html again from its result.json")
    .argument("<path>", "a run folder, or the result.json in one")
    .action((target: string) => {
      setExitCode(reportCommand(target, io));
    });

  program
    .command("validate")
    .description("check scenario files without running them")
    .argument("<file...>", "scenario files")
    .action((files: string[]) => {
      setExitCode(validateCommand(files, io));
    });

  program
    .command("list")
    .description("list the scenarios in DIR (default: the bundled scenarios/)")
    .argument("[dir]", "directory to search, recursively")
    .action((dir: string | undefined) => {
      setExitCode(listCommand(dir, io));
    });

  return program;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok;
  try {
    await buildProgram(io, (code) => {
      exitCode = code;
    }).parseAsync(argv, { from: "user" });
  } catch (error) {
    exitCode = reportError(error, io);
  }
  return exitCode;
}

// import.meta.filename is the real path; argv[1] may go through a symlink.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2));
}
