// The stylesheet of reports and the index: light, plain, tabular figures, readable on a laptop, and
// printable (no backgrounds needed, charts kept whole on a page). Inline in each page (a report is one
// file) and allowed by its hash in the page's policy, so no style="" attributes anywhere.

import { VARIANT_COLOR_COUNT, variantColor } from "./palette.ts";

const BASE = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6573; --line: #d8dee6; --panel: #f5f7fa;
  --ok: #1a7f37; --bad: #b42318; --warn: #9a6700; --accent: #0b5cad; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 56px; }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 6px; overflow-wrap: anywhere; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
code { font-size: .85em; }
.meta, .note, .desc { color: var(--muted); }
.meta { margin: 0 0 4px; font-size: .9rem; }
.note { font-size: .85rem; margin: 4px 0 10px; }
.desc { margin: 4px 0 8px; font-size: .9rem; }
.lede { max-width: 80ch; margin: 8px 0 0; }
nav.toc { margin: 14px 0 0; font-size: .9rem; }
nav.toc a { margin-right: 14px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.warn { color: var(--warn); font-weight: 600; }
table { border-collapse: collapse; font-size: .88rem; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--panel); text-align: left; border-bottom: 2px solid var(--line); }
thead th.num { text-align: right; }
tbody th { text-align: left; font-weight: 500; }
caption { text-align: left; font-weight: 600; padding: 6px 0 4px; }
.scroll { overflow-x: auto; }
.side-by-side td code { color: var(--muted); }
.delta { color: var(--muted); font-size: .8em; margin-left: 4px; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: 6px;
  vertical-align: -1px; }
.verdict { border-left: 4px solid var(--ok); background: #eef7f0; padding: 10px 16px; margin: 0 0 16px;
  border-radius: 0 6px 6px 0; }
.verdict .lead { margin: 0 0 4px; font-size: 1.05rem; }
.verdict ul { margin: 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-top-width: 5px; border-radius: 8px; padding: 12px 16px; }
.badges { margin: 0 0 6px; }
.badge { display: inline-block; font-size: .78rem; padding: 1px 8px; border-radius: 10px; border: 1px solid; }
.badge.ok { color: var(--ok); border-color: var(--ok); }
.badge.bad { color: var(--bad); border-color: var(--bad); font-weight: 600; }
.badge.muted { color: var(--muted); border-color: var(--line); }
.figures { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
.figure dt { color: var(--muted); font-size: .78rem; }
.figure dd { margin: 0; font-size: 1.4rem; line-height: 1.2; font-weight: 650; font-variant-numeric: tabular-nums; }
.why { margin: 6px 0 0; padding-left: 18px; font-size: .86rem; }
.guest-group { margin: 0 0 28px; }
.guest-group h3 { margin-top: 18px; }
table.guests tbody th { min-width: 9em; }
table.guests tbody th .desc { display: inline-block; margin: 0; font-size: .8rem; max-width: 32ch; }
table.guests tfoot th, table.guests tfoot td { border-top: 2px solid var(--line); font-weight: 600; text-align: left; }
table.guests tfoot td.num { text-align: right; }
.guest-group .chart-grid { margin-top: 14px; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 18px 24px; }
.chart-grid.wide { grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); }
figure.chart { margin: 0 0 8px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-box { position: relative; height: 260px; }
.chart-box.tall { height: 320px; }
.summary { font-size: .85rem; }
.summary ul { margin: 6px 0; padding-left: 18px; }
.summary p { margin: 6px 0; }
details { font-size: .85rem; margin: 4px 0 10px; }
details summary { cursor: pointer; color: var(--accent); }
details table { margin: 6px 12px 6px 0; display: inline-table; }
table.data td, table.data th { padding: 2px 8px; }
pre.scenario { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px;
  overflow: auto; font-size: .82rem; line-height: 1.45; }
.index-table tbody + tbody { border-top: 2px solid var(--line); }
.index-table th[scope="rowgroup"], .index-table td:nth-child(3) { white-space: nowrap; }
footer { margin-top: 40px; color: var(--muted); font-size: .8rem; }
@media print {
  main { max-width: none; padding: 0; }
  body { font-size: 11pt; }
  nav.toc, details { display: none; }
  .verdict { background: none; }
  figure.chart, .card, table { break-inside: avoid; }
  h2 { break-after: avoid; }
  canvas { max-width: 100% !important; height: auto !important; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The whole stylesheet, with one colour class per variant colour (.v0 ... .v7). */
export function stylesheet(): string {
  let colors = "";
  for (let i = 0; i < VARIANT_COLOR_COUNT; i++) {
    const color = variantColor(i);
    colors += `.swatch.v${i} { background: ${color}; }\n.card.v${i} { border-top-color: ${color}; }\n`;
  }
  return `${BASE.trim()}\n${colors}`;
}
