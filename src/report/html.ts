// HTML from template literals whose interpolations are escaped unless they are already Html. Escaping is the
// default, so user text cannot become markup because someone forgot a call; only this module and
// `trustedHtml` (for our own inlined code and CSS) make Html from a plain string.

import { escapeHtml } from "./escape.ts";

export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What a template accepts: markup, text to escape, numbers, nothing (null, undefined, false), or lists. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return "";
  if (typeof value === "number") return escapeHtml(String(value));
  if (typeof value === "string") return escapeHtml(value);
  return value.map(render).join("");
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Marks text we produced ourselves (inlined library code, the stylesheet) as markup. Never user text. */
export function trustedHtml(text: string): Html {
  return new Html(text);
}

/** Joins fragments with a separator that is itself escaped. */
export function joinHtml(parts: readonly HtmlValue[], separator: string): Html {
  return new Html(parts.map(render).join(escapeHtml(separator)));
}
