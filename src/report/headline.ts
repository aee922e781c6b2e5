// The top of a report: which variant won, and one card per variant with the three figures people quote
// (transferred KB, elapsed ms, downtime ms), its status, its verifier outcome and why its figures are what
// they are. Each figure carries its raw value from result.json in data-value, so tests can check the page
// against the file.

import type { RunResult, VariantResult } from "../model.ts";
import { explainVariant } from "./explain.ts";
import { formatKb, formatMs, formatNumber, formatVerifier } from "./format.ts";
import { type Html, html, joinHtml } from "./html.ts";
import { variantClass } from "./palette.ts";
import type { ScenarioNotes } from "./scenario-text.ts";
import { type Award, type Metric, unrankedReason, verdict } from "./verdict.ts";

const AWARD_LABEL: Record<Metric, string> = {
  transferred: "Fewest bytes",
  "total-time": "Shortest migration",
  downtime: "Shortest downtime",
};

function awardValue(metric: Metric, value: number): string {
  return metric === "transferred" ? `${formatKb(value)} KB` : `${formatMs(value)} ms`;
}

/** "95.3% less than original (8,376,199 KB)", or "17.1× faster ..." when the gap is large. */
function againstBaseline(award: Award): string {
  const base = award.baseline;
  if (base === null || base.value <= 0) return "";
  const was = `${base.name} (${awardValue(award.metric, base.value)})`;
  if (award.metric === "total-time" && award.value > 0 && base.value / award.value >= 2) {
    return ` — ${formatNumber(base.value / award.value, 1)}× faster than ${was}`;
  }
  const less = ((base.value - award.value) / base.value) * 100;
  return ` — ${formatNumber(less, 1)}% less than ${was}`;
}

function verdictBox(result: RunResult): Html {
  const { awards, unranked, overall } = verdict(result.variants);
  if (awards.length === 0 && unranked.length === 0) return html``;
  if (awards.length === 0 && result.variants.every((v) => v.interruption !== undefined)) {
    // A run of cancels and cut links is about how each was noticed, not about who migrated best.
    return html`<div class="verdict" role="note"><p class="lead">Every variant was cut short by a cancel or a
network fault, so none is ranked: <a href="#interruptions">Cancels and network faults</a> compares how soon each
transport knew.</p></div>`;
  }
  const lead =
    overall !== null
      ? html`<p class="lead"><strong>${overall}</strong> won: fewest bytes on the wire and the shortest migration.</p>`
      : awards.length > 0
        ? html`<p class="lead">No variant won on both bytes and time:</p>`
        : html`<p class="lead">No variant can be ranked:</p>`;
  const items = awards.map(
    (award) =>
      html`<li>${AWARD_LABEL[award.metric]}: <strong>${joinHtml(award.winners, ", ")}</strong>,
        ${awardValue(award.metric, award.value)}${againstBaseline(award)}</li>`,
  );
  const left = unranked.map(
    (entry) => html`<li>Not ranked: <strong>${entry.name}</strong> (${entry.reason})</li>`,
  );
  return html`<div class="verdict" role="note">${lead}<ul>${items}${left}</ul></div>`;
}

function badge(text: string, kind: "ok" | "bad" | "muted"): Html {
  return html`<span class="badge ${kind}">${text}</span>`;
}

/** Completed is good, failed is bad; cancelled is what the scenario asked for, so neither. */
const STATUS_BADGE = { completed: "ok", failed: "bad", cancelled: "muted" } as const;

function figure(label: string, field: string, raw: number, shown: string): Html {
  return html`<div class="figure"><dt>${label}</dt><dd data-field="${field}" data-value="${raw}">${shown}</dd></div>`;
}

function card(variant: VariantResult, index: number, notes: ScenarioNotes): Html {
  const description = notes.variants.get(variant.name);
  const verifierOk = variant.verification.mismatches === 0;
  const ranked = unrankedReason(variant) === null;
  return html`<article class="card ${variantClass(index)}" data-variant-index="${index}" data-variant="${variant.name}">
  <h3><span class="swatch ${variantClass(index)}" aria-hidden="true"></span>${variant.name}</h3>
  <p class="badges">${badge(variant.status, STATUS_BADGE[variant.status] ?? "muted")} ${badge(
    `verifier ${formatVerifier(variant)}`,
    verifierOk ? "ok" : "bad",
  )}${ranked ? "" : html` ${badge("not ranked", "muted")}`}</p>
  ${description === undefined ? "" : html`<p class="desc">${description}</p>`}
  <dl class="figures">
    ${figure("transferred KB", "ram.transferred", variant.ram.transferred, formatKb(variant.ram.transferred))}
    ${figure("elapsed ms", "total-time", variant["total-time"], formatMs(variant["total-time"]))}
    ${figure("downtime ms", "downtime", variant.downtime, formatMs(variant.downtime))}
  </dl>
  <ul class="why">${explainVariant(variant).map((line) => html`<li>${line}</li>`)}</ul>
</article>`;
}

export function headlineSection(result: RunResult, notes: ScenarioNotes): Html {
  return html`<section id="headline" aria-labelledby="h-headline">
<h2 id="h-headline">Headline</h2>
${verdictBox(result)}
<div class="cards">${result.variants.map((variant, i) => card(variant, i, notes))}</div>
</section>`;
}
