// The Content-Security-Policy of a report page. A report is a static file opened from disk, so there is no
// server to send a fresh nonce: the policy names the sha256 of each inline <script> and <style> instead.
// Anything else (an injected <script>, an onerror attribute, a style attribute, any fetch) is refused.

import { createHash } from "node:crypto";

/** The CSP source expression for an inline element whose text content is exactly `text`. */
export function sha256Source(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

export interface InlineContent {
  /** Text content of each inline <script> that must run (JSON data blocks never run and need no entry). */
  scripts: readonly string[];
  /** Text content of each inline <style>. */
  styles: readonly string[];
}

export function contentSecurityPolicy({ scripts, styles }: InlineContent): string {
  const sources = (texts: readonly string[]) =>
    texts.length === 0 ? "'none'" : texts.map(sha256Source).join(" ");
  // frame-ancestors is not listed: browsers ignore it in a <meta> policy and say so on the console.
  return [
    "default-src 'none'",
    `script-src ${sources(scripts)}`,
    `style-src ${sources(styles)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
