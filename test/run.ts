// The test entry (`npm test`). Runs uvu over test/ in one child process and ends with the single line CI
// reads: `N passed, N failed`. Arguments that do not start with "-" narrow the file pattern (`npm test -- cli`
// runs test/**/*cli*.test.ts); the others go to uvu unchanged (`npm test -- --bail`).

import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TEST_FILE = String.raw`\.test\.ts$`;

export interface Summary {
  total: number;
  passed: number;
  skipped: number;
}

/** uvu's closing block; null when the run ended before printing it (a crash or an early exit). */
export function parseUvuSummary(output: string): Summary | null {
  // Colour codes would split the numbers from their labels; uvu is run with --no-color, but be safe.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const total = lastNumberAfter(plain, "Total:");
  const passed = lastNumberAfter(plain, "Passed:");
  const skipped = lastNumberAfter(plain, "Skipped:");
  if (total === null || passed === null || skipped === null) return null;
  return { total, passed, skipped };
}

function lastNumberAfter(text: string, label: string): number | null {
  const matches = [...text.matchAll(new RegExp(`^\\s*${label}\\s+(\\d+)\\s*$`, "gm"))];
  const last = matches.at(-1);
  return last === undefined ? null : Number(last[1]);
}

/** Failed count for the closing line; any way the run went wrong counts as at least one failure. */
export function countFailed(summary: Summary | null, exitCode: number | null): number {
  if (summary === null) return 1;
  // uvu's Total counts the tests that ran; skipped tests are reported apart and are not in it, so
  // subtracting them again would hide failures whenever a suite has a skip.
  const failed = Math.max(0, summary.total - summary.passed);
  return exitCode !== 0 && failed === 0 ? 1 : failed;
}

/** The uvu file pattern: every test file, narrowed to those whose path matches one of `filters`. */
export function filePattern(filters: readonly string[]): string {
  if (filters.length === 0) return TEST_FILE;
  return `^(?=.*(?:${filters.join("|")})).*${TEST_FILE}`;
}

async function main(args: readonly string[]): Promise<number> {
  const filters = args.filter((arg) => !arg.startsWith("-"));
  const flags = args.filter((arg) => arg.startsWith("-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "node_modules/uvu/bin.js", "test", filePattern(filters), "--no-color", ...flags],
    { cwd: ROOT, stdio: ["inherit", "pipe", "pipe"] },
  );

  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.pipe(process.stderr);

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });

  const summary = parseUvuSummary(output);
  if (summary === null)
    process.stderr.write("test/run: uvu ended before its summary; counted as a failure\n");
  else if (summary.total === 0) process.stderr.write("test/run: no test ran (check the pattern)\n");
  const passed = summary?.passed ?? 0;
  const failed = countFailed(summary, exitCode);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 && exitCode === 0 && passed > 0 ? 0 : 1;
}

// Imported by its own tests for the pure helpers above; only run the suite when executed directly.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
