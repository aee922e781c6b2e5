// The bundled scenarios a client can start by name: read and parsed once when the server starts (they ship
// with the code), each kept with its text so a run stores exactly what it ran. A file that does not parse
// is left out and reported in the log, not served.

import * as fs from "node:fs";
import * as path from "node:path";
import { listBundledScenarios } from "../scenario/load.ts";
import { parseScenario, variantNames } from "../scenario/parse.ts";
import type { ScenarioInfo } from "./schemas.ts";

export interface BundledScenario {
  info: ScenarioInfo;
  text: string;
  /** Path relative to the scenarios directory's parent, as `hintmig list` shows it ("scenarios/x.yaml"). */
  fileName: string;
}

export interface Catalogue {
  list: ScenarioInfo[];
  byName: ReadonlyMap<string, BundledScenario>;
  /** Files that could not be offered, with why. */
  skipped: string[];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function loadCatalogue(dir: string): Catalogue {
  const byName = new Map<string, BundledScenario>();
  const skipped: string[] = [];
  let files: string[];
  try {
    files = listBundledScenarios(dir);
  } catch (error) {
    return { list: [], byName, skipped: [`${dir}: ${String(error)}`] };
  }
  for (const file of files) {
    const fileName = path.relative(path.dirname(dir), file);
    try {
      const text = fs.readFileSync(file, "utf8");
      const { file: scenario, configs } = parseScenario(text, fileName);
      const name = configs[0]?.scenarioName ?? "";
      if (byName.has(name)) {
        skipped.push(`${fileName}: another file is already named ${name}`);
        continue;
      }
      byName.set(name, {
        info: {
          name,
          file: path.relative(dir, file),
          description: oneLine(scenario.description ?? ""),
          variants: variantNames(configs),
        },
        text,
        fileName,
      });
    } catch (error) {
      skipped.push(`${fileName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const list = [...byName.values()].map((entry) => entry.info).sort((a, b) => a.name.localeCompare(b.name));
  return { list, byName, skipped };
}
