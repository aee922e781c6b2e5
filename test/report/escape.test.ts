import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codeForScript, escapeHtml, jsonForScript } from "../../src/report/escape.ts";
import { html, joinHtml, trustedHtml } from "../../src/report/html.ts";

const escaping = suite("report: escaping");

escaping("escapeHtml escapes the five characters that can start markup or end an attribute", () => {
  assert.is(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
  assert.is(escapeHtml("plain text, 8 GiB"), "plain text, 8 GiB");
});

escaping("jsonForScript leaves no '<' and parses back to the same value", () => {
  const value = { name: "</script><script>alert(1)</script><!--", line: "a\u2028b\u2029c" };
  const text = jsonForScript(value);
  assert.not.ok(text.includes("<"));
  assert.not.ok(text.includes("\u2028"));
  assert.equal(JSON.parse(text), value);
});

escaping("codeForScript drops the source map comment and cannot end the script element", () => {
  const code = 'var a = "</script>"; var b = "<!-- x";\n//# sourceMappingURL=chart.umd.js.map\n';
  const out = codeForScript(code);
  assert.not.match(out, /sourceMappingURL/);
  assert.not.match(out, /<\/script/i);
  assert.not.match(out, /<!--/);
  // The escapes mean the same characters inside string literals.
  assert.is(new Function(`${out}; return a + b;`)(), "</script><!-- x");
});

const templates = suite("report: html templates");

templates("interpolated strings are escaped, Html is not, lists are joined, nothing renders empty", () => {
  const name = `<img src=x onerror="alert(1)">`;
  const out = html`<p title="${name}">${name}${trustedHtml("<b>ok</b>")}${[1, "<", null]}${false}${undefined}</p>`;
  assert.is(
    out.text,
    '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<b>ok</b>1&lt;</p>',
  );
  assert.is(joinHtml(["a<", html`<i>b</i>`], " & ").text, "a&lt; &amp; <i>b</i>");
});

escaping.run();
templates.run();
