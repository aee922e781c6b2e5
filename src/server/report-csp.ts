// The Content-Security-Policy header of a stored report: the one in the report's own <meta>. A report's
// policy lists the sha256 of its inline script and style, so it is a property of that file (a report
// rendered by an older hintmig has other hashes); taking it from the file keeps header and meta equal, as
// browsers enforce both and a mismatch would block the charts.

const META_CSP = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;

/** Where the report's <head> ends at the latest: the policy must come before anything it governs. */
const HEAD_CHARS = 4096;

/** A report page whose policy cannot be read still must not run anything. */
export const FALLBACK_REPORT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'";

const ENTITIES: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

export function reportCsp(html: string): string {
  const match = META_CSP.exec(html.slice(0, HEAD_CHARS));
  if (match === null || match[1] === undefined) return FALLBACK_REPORT_CSP;
  return match[1].replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}
