// Escaping for the three places report text lands: HTML text and attributes, a JSON data block inside
// <script>, and JavaScript inlined in <script>. Scenario and variant names are user text, so each rule here
// is what stands between a name like `<script>` and its execution.

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * JSON that cannot end its <script> element early: the HTML tokenizer only looks for `</script` and `<!--`,
 * so escaping every `<` as `\u003c` (still the same string to JSON.parse) is enough. U+2028/2029 are
 * escaped too, so the text is also a valid JavaScript literal should anyone paste it into code.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * Library code inlined in a <script>: its source map comment points at a file that is not there (and
 * DevTools would try to fetch it), and a `</script` or `<!--` inside a string literal would end or
 * confuse the element. In string and regex literals `<\/` and `<\!` mean the same characters.
 */
export function codeForScript(code: string): string {
  return code
    .replace(/^\/\/# sourceMappingURL=.*$/gm, "")
    .replace(/<\/(script)/gi, "<\\/$1")
    .replace(/<!--/g, "<\\!--")
    .trimEnd();
}
