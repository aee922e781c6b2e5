// The bearer token check. A server bound beyond loopback must have a token (config.ts refuses to start
// otherwise); when one is set, every route needs it except the few that serve no data: the home page
// shell (its script sends the token), its icon, the API documentation and the health check.

import { createHash, timingSafeEqual } from "node:crypto";

const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/", "/favicon.ico", "/healthz", "/openapi.json"]);
const PUBLIC_PREFIXES: readonly string[] = ["/docs"];

/** True for paths served without a token (`path` without its query string). */
export function isPublicPath(path: string): boolean {
  return (
    PUBLIC_PATHS.has(path) ||
    PUBLIC_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
  );
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * A checker of `Authorization` headers against `token`. Digests of equal length are compared in constant
 * time, so the answer's timing says nothing about how much of a guess was right.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match === null || match[1] === undefined) return false;
    return timingSafeEqual(digest(match[1]), expected);
  };
}
