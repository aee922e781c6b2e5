// Writes a run folder's report.html, atomically like result.json, so a browser or the index never sees
// half a report.

import * as path from "node:path";
import { type ReportInput, renderReport } from "../report/index.ts";
import { REPORT_FILE } from "../store/run-folder.ts";
import { writeFileAtomic } from "./write-result.ts";

/** Renders the report into `dir` and returns its path (relative if `dir` is). */
export function writeReport(dir: string, input: ReportInput): string {
  const file = path.join(dir, REPORT_FILE);
  writeFileAtomic(file, renderReport(input));
  return file;
}
