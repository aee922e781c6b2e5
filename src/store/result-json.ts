// The one serialization of a result, shared by the CLI (`--json`, result.json) and the server, so a run's
// result.json holds the same bytes whichever adapter ran it.

import type { RunResult } from "../index.ts";

/** Two-space JSON and a final newline: the exact bytes of a result, on stdout and on disk alike. */
export function resultJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
