// Turns anything thrown by a command into a message on stderr and an exit code. Bad input (flags, files,
// scenarios) is the user's to fix and gets 2; anything else is our bug and gets 70 with the stack.

import { CommanderError } from "commander";
import { ScenarioError } from "../scenario/parse.ts";
import { ExitCode } from "./exit-codes.ts";
import type { Io } from "./io.ts";

/** Bad input found by the CLI itself (not by commander or the scenario loader). */
export class UsageError extends Error {
  override name = "UsageError";
}

export function reportError(error: unknown, io: Io): ExitCode {
  if (error instanceof ScenarioError) {
    // The loader already formats one `file:line:column: path: message` line per problem.
    io.err(`${error.message}\n`);
    return ExitCode.usage;
  }
  if (error instanceof UsageError) {
    io.err(`hintmig: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text) through configureOutput.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isUserFileError(error)) {
    io.err(`hintmig: ${error.message}\n`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : "";
  io.err(`hintmig: internal error: ${message}\n${stack}`);
  return ExitCode.internal;
}

// A scenario path that does not exist, or an --out that is a file, is the user's to fix, not a crash.
// Node's message already names the call and the path: "ENOENT: no such file or directory, open 'x.yaml'".
const USER_FILE_ERRORS = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EEXIST", "EROFS"]);

function isUserFileError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const { code, path } = error as NodeJS.ErrnoException;
  return typeof path === "string" && code !== undefined && USER_FILE_ERRORS.has(code);
}
