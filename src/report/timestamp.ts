// Run times as people read them in a report: "2026-11-22 05:41:30 UTC". UTC, like run ids, so a report
// reads the same wherever it is opened; text that is not a date is shown as given.

export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
