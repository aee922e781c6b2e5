// chart.js's UMD build, ready to inline. Rendering stays a pure function of its input apart from this one
// read of a package file (the same bytes for every report), cached so a batch of reports reads it once.
// The UMD path is not in chart.js's `exports`, so it is found next to the resolved main file.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { codeForScript } from "./escape.ts";

const require = createRequire(import.meta.url);
let cached: string | null = null;

export function chartJsSource(): string {
  if (cached === null) {
    const file = path.join(path.dirname(require.resolve("chart.js")), "chart.umd.js");
    cached = codeForScript(readFileSync(file, "utf8"));
  }
  return cached;
}
