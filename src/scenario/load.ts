// The only file of the scenario loader that touches the file system: reading a scenario and listing the
// bundled ones. Everything else is pure and takes text.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ParsedScenario, type ParseOptions, parseScenario } from "./parse.ts";
import { ScenarioError } from "./problems.ts";

/** Reads and parses a scenario file; an unreadable file is a ScenarioError like any other problem. */
export function loadScenarioFile(path: string, opts: ParseOptions = {}): ParsedScenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(error);
    throw new ScenarioError([
      { file: path, line: 0, column: 0, path: "", message: `cannot read: ${reason}` },
    ]);
  }
  return parseScenario(text, path, opts);
}

const SCENARIO_FILE = /\.(ya?ml|json)$/;

/** Scenario files under `dir`, recursively, as paths joined to `dir`, sorted so listings are stable. */
export function listBundledScenarios(dir = "scenarios"): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => SCENARIO_FILE.test(name))
    .map((name) => join(dir, name))
    .sort();
}
