// Reports: pure rendering of run results into self-contained HTML. The CLI (and later the server) decide
// where the files go.

export { type IndexEntry, type IndexVariant, renderIndex } from "./render-index.ts";
export { type ReportInput, renderReport } from "./render-report.ts";
