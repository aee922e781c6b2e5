// Model against published measurements, for variants whose scenario has an `expect` block: the check that
// the model is calibrated, shown as the papers show it (figure, published, model, error).

import type { RunResult } from "../model.ts";
import { COMPARED_FIGURES, formatErrorPercent } from "./format.ts";
import { type Html, html } from "./html.ts";

export function publishedSection(result: RunResult): Html {
  const rows = result.variants.flatMap((variant) => {
    const expect = variant.expect;
    if (expect === undefined) return [];
    return COMPARED_FIGURES.flatMap((figure) => {
      const cell = expect[figure.key];
      if (cell === null || cell === undefined) return [];
      const error = cell["error-percent"];
      const large = Math.abs(error) >= 10;
      return [
        html`<tr><th scope="row">${variant.name}</th><td>${figure.label}</td>
<td class="num">${figure.format(cell.published)}</td><td class="num">${figure.format(cell.model)}</td>
<td class="num${large ? " warn" : ""}">${formatErrorPercent(error)}</td></tr>`,
      ];
    });
  });
  if (rows.length === 0) return html``;
  return html`<section id="published" aria-labelledby="h-published">
<h2 id="h-published">Model vs published</h2>
<p class="note">Error is (model − published) / published; errors of 10% or more are marked.</p>
<table>
<thead><tr><th scope="col">variant</th><th scope="col">figure</th><th scope="col" class="num">published</th>
<th scope="col" class="num">model</th><th scope="col" class="num">error</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}
