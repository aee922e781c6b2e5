// The document shell of every report page: doctype, charset, the Content-Security-Policy (first, before any
// script or style it governs), the stylesheet, the body, an optional JSON data block and an optional script.
// The policy is computed from the exact texts inlined here, so the two cannot drift apart.

import { contentSecurityPolicy } from "./csp.ts";
import { escapeHtml, jsonForScript } from "./escape.ts";
import type { Html } from "./html.ts";
import { stylesheet } from "./style.ts";

export interface PageInput {
  title: string;
  body: Html;
  /** Data for the script, inlined as JSON in a non-executing <script type="application/json">. */
  data?: unknown;
  /** The one script that runs; its text is hashed into the policy. */
  script?: string;
}

export function renderPage({ title, body, data, script }: PageInput): string {
  const css = stylesheet();
  const policy = contentSecurityPolicy({ scripts: script === undefined ? [] : [script], styles: [css] });
  const parts = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="generator" content="hintmig">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    "</head>",
    "<body>",
    body.text,
  ];
  if (data !== undefined) {
    parts.push(`<script type="application/json" id="report-data">${jsonForScript(data)}</script>`);
  }
  if (script !== undefined) parts.push(`<script>${script}</script>`);
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}
