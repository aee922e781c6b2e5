// Reading a rendered page's markup back, for the escaping tests of every section that shows user text.

/**
 * Every start tag outside <script> elements, with its attribute names. A tag the strict pattern cannot read
 * fails the test: escaped user text has no `<`, so every tag must be one of our own, well-formed ones.
 */
export function tags(page: string): { name: string; attributes: string[] }[] {
  const outsideScripts = page.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, "$1</script>");
  const found: { name: string; attributes: string[] }[] = [];
  for (const m of outsideScripts.matchAll(/<(?=[a-zA-Z])[^>]*>/g)) {
    const tag = /^<([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>$/.exec(m[0]);
    if (tag === null) throw new Error(`malformed tag: ${m[0]}`);
    found.push({
      name: tag[1]!,
      attributes: [...tag[2]!.matchAll(/\s+([a-z-]+)(?:="[^"]*")?/g)].map((a) => a[1]!),
    });
  }
  return found;
}

/** The contents of every <script> element, with its opening tag. */
export function scripts(page: string): { tag: string; text: string }[] {
  return [...page.matchAll(/(<script[^>]*>)([\s\S]*?)<\/script>/g)].map((m) => ({ tag: m[1]!, text: m[2]! }));
}

/** A chart configuration as the page's data block holds it (the fields the tests read). */
export interface ChartData {
  data: { labels?: string[]; datasets: { label: string; data: unknown[]; borderDash?: number[] }[] };
}

/** The chart configurations of a report page, by canvas id. */
export function chartData(page: string): Record<string, ChartData> {
  const block = scripts(page).find((s) => s.tag.includes('type="application/json"'));
  if (block === undefined) throw new Error("no data block");
  return (JSON.parse(block.text) as { charts: Record<string, ChartData> }).charts;
}
