// Run ids: `<scenario-slug>-<yyyymmdd-hhmmss UTC>-<4 hex>`, shared by the CLI and the server. An id is also
// a folder name under reports/, so the alphabet is `[a-z0-9-]` only: no dot, no slash, nothing a path or a
// URL could read as anything but a name.

import { randomBytes } from "node:crypto";

/** Lower-case `[a-z0-9-]` only, so the id is safe in a path and a URL on every platform. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    // NFKD splits "é" into "e" and a combining accent; drop the accent, keep the letter.
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "scenario" : slug.slice(0, 64).replace(/-+$/, "");
}

/** `yyyymmdd-hhmmss` in UTC, so ids sort by time whatever the host's zone. */
export function utcStamp(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/** `<slug>-<yyyymmdd-hhmmss>-<4 hex>`; the suffix keeps two runs started in the same second apart. */
export function makeRunId(
  scenarioName: string,
  date: Date,
  suffix: string = randomBytes(2).toString("hex"),
): string {
  return `${slugify(scenarioName)}-${utcStamp(date)}-${suffix}`;
}

/**
 * What the server accepts as a run id from a URL: the shape makeRunId produces (a slug, the stamp, the
 * suffix), so a `..`, a slash or an encoded separator can never reach a path join. The suffix may be
 * longer than 4 hex digits, for ids that had to be drawn again after a collision.
 */
export const RUN_ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9]{8}-[0-9]{6}-[0-9a-f]{4,16}$";

const RUN_ID_RE = new RegExp(RUN_ID_PATTERN);

/** Longest id makeRunId can produce (64-char slug, stamp, 16 hex), with room to spare. */
export const RUN_ID_MAX_LENGTH = 100;

export function isRunId(text: string): boolean {
  return text.length <= RUN_ID_MAX_LENGTH && RUN_ID_RE.test(text);
}
