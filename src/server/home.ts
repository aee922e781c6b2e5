// The home page: pick a bundled scenario or paste YAML, start it, watch it run, browse past runs. A static
// shell whose one script fills everything in from the API (fetch, and EventSource for progress), so the
// page itself holds no data and needs no token; everything the script writes goes through textContent,
// never HTML parsing. Its policy allows exactly its own inline script and style, and requests to this
// origin.

import { createHash } from "node:crypto";
import { escapeHtml } from "../report/escape.ts";

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d232a; background: #fbfbfc; }
body { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 0; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
nav a { margin-right: 1rem; }
.lede { color: #4a5562; margin: .25rem 0 1rem; }
section.card { background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: .75rem 1rem; }
label { display: block; margin: .5rem 0 .25rem; font-weight: 600; }
select, input, textarea, button { font: inherit; }
textarea { width: 100%; min-height: 10rem; font-family: ui-monospace, monospace; font-size: .85rem; }
button { margin-top: .5rem; padding: .3rem .9rem; border-radius: 4px; border: 1px solid #7a8794; background: #eef1f4; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
.row { display: flex; gap: 1rem; flex-wrap: wrap; align-items: end; }
.row > div { flex: 1 1 14rem; }
.hint { color: #5b6773; font-size: .85rem; }
.problems { color: #9b1c1c; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: .85rem; }
progress { width: 100%; height: 1rem; }
#live-log { font-family: ui-monospace, monospace; font-size: .8rem; max-height: 12rem; overflow: auto; background: #f4f6f8; padding: .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e6e9ed; vertical-align: top; }
td.state-completed { color: #17633a; } td.state-failed { color: #9b1c1c; } td.state-cancelled { color: #8a5a00; }
td code { font-size: .8rem; }
[hidden] { display: none !important; }
`;

const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const authRequired = document.body.dataset.auth === "required";
const TOKEN_KEY = "hintmig-token";
let current = null;
let source = null;
let nextPage = null;

function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
function headers(extra) {
  const h = Object.assign({ accept: "application/json" }, extra || {});
  if (token() !== "") h.authorization = "Bearer " + token();
  return h;
}
async function api(path, init) {
  const response = await fetch(path, Object.assign({}, init || {}, { headers: headers((init || {}).headers) }));
  const text = await response.text();
  let body = null;
  try { body = text === "" ? null : JSON.parse(text); } catch { body = { message: text }; }
  if (!response.ok) {
    const error = new Error((body && body.message) || response.statusText);
    error.body = body;
    throw error;
  }
  return body;
}
function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}
function showProblems(error) {
  const box = $("start-problems");
  const lines = [error.message];
  const problems = (error.body && error.body.problems) || [];
  for (const p of problems) {
    const where = p.line ? "line " + p.line + ": " : "";
    lines.push("  " + where + (p.path ? p.path + ": " : "") + p.message);
  }
  box.textContent = lines.join("\\n");
}

async function loadScenarios() {
  const select = $("scenario");
  select.replaceChildren();
  try {
    const { scenarios } = await api("/scenarios");
    for (const s of scenarios) {
      const option = el("option", s.name + " (" + s.variants.join(", ") + ")", { value: s.name });
      option.title = s.description;
      select.append(option);
    }
  } catch (error) {
    select.append(el("option", "cannot list scenarios: " + error.message, { value: "" }));
  }
}

function seedValue() {
  const text = $("seed").value.trim();
  return text === "" ? undefined : Number(text);
}

async function start(kind) {
  $("start-problems").textContent = "";
  for (const b of document.querySelectorAll("button.start")) b.disabled = true;
  try {
    let run;
    if (kind === "name") {
      run = await api("/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: $("scenario").value, seed: seedValue() }),
      });
    } else {
      const seed = seedValue();
      run = await api("/runs" + (seed === undefined ? "" : "?seed=" + encodeURIComponent(seed)), {
        method: "POST",
        headers: { "content-type": "application/yaml" },
        body: $("yaml").value,
      });
    }
    watch(run);
    loadRuns(true);
  } catch (error) {
    showProblems(error);
  } finally {
    for (const b of document.querySelectorAll("button.start")) b.disabled = false;
  }
}

function logLine(text) {
  const log = $("live-log");
  log.append(el("div", text));
  log.scrollTop = log.scrollHeight;
}

function onEvent(name, data) {
  const bar = $("live-progress");
  if (name === "queued") $("live-state").textContent = "queued (position " + data.position + ")";
  else if (name === "started") $("live-state").textContent = "running";
  else if (name === "variant") logLine("variant " + data.variant);
  else if (name === "postcopy") logLine(data.variant + ": postcopy switch at " + data["sim-time-ms"].toFixed(0) + " ms");
  if (name === "pass" || name === "progress") {
    bar.max = data["total-pages"];
    bar.value = data["total-pages"] - data["remaining-pages"];
    $("live-state").textContent = "running: " + data.variant + ", pass " + data.pass + ", " +
      data["sim-time-ms"].toFixed(0) + " ms simulated";
    if (name === "pass") logLine(data.variant + ": pass " + data.pass + " at " + data["sim-time-ms"].toFixed(0) + " ms");
  }
  if (name === "completed" || name === "failed" || name === "cancelled") {
    $("live-state").textContent = name + (data.error ? ": " + data.error : "");
    for (const o of data.outcomes || []) logLine(o.name + ": " + o.status + (o["error-desc"] ? " (" + o["error-desc"] + ")" : ""));
    bar.value = bar.max;
    $("live-cancel").disabled = true;
    $("live-report").hidden = data.outcomes === undefined || data.outcomes.length === 0;
    stopWatching();
    loadRuns(true);
  }
}

const EVENT_NAMES = ["queued", "started", "variant", "pass", "progress", "postcopy", "completed", "failed", "cancelled"];

function stopWatching() {
  if (source !== null) source.close();
  source = null;
}

// EventSource cannot send an Authorization header; with a token the stream is read through fetch.
function openStream(url) {
  if (token() === "") {
    const es = new EventSource(url);
    for (const name of EVENT_NAMES) es.addEventListener(name, (e) => onEvent(name, JSON.parse(e.data)));
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) logLine("event stream closed"); };
    return { close: () => es.close() };
  }
  const controller = new AbortController();
  (async () => {
    const response = await fetch(url, { headers: headers({ accept: "text/event-stream" }), signal: controller.signal });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\\n\\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length > 0) onEvent(name, JSON.parse(data.join("\\n")));
      }
    }
  })().catch((error) => { if (error.name !== "AbortError") logLine("event stream: " + error.message); });
  return { close: () => controller.abort() };
}

function watch(run) {
  stopWatching();
  current = run;
  $("live").hidden = false;
  $("live-id").textContent = run.id;
  $("live-id").href = run.links.self;
  $("live-report").href = run.links.report;
  $("live-report").hidden = true;
  $("live-state").textContent = run.state;
  $("live-log").replaceChildren();
  $("live-progress").value = 0;
  $("live-cancel").disabled = false;
  source = openStream(run.links.events);
}

async function cancelCurrent() {
  if (current === null) return;
  try { await api(current.links.self, { method: "DELETE" }); } catch (error) { logLine("cancel: " + error.message); }
}

function runRow(run) {
  const tr = el("tr");
  const id = el("td");
  id.append(el("a", run.id, { href: run.links.self }));
  tr.append(id, el("td", run.scenario), el("td", run.state, { class: "state-" + run.state }));
  tr.append(el("td", new Date(run["created-at"]).toLocaleString()));
  tr.append(el("td", run.outcomes.map((o) => o.name + ": " + o.status).join(", ") || run.error || ""));
  const actions = el("td");
  if (run.state === "queued" || run.state === "running") {
    const b = el("button", "watch", { type: "button" });
    b.addEventListener("click", () => watch(run));
    actions.append(b);
  } else if (run.outcomes.length > 0) {
    actions.append(el("a", "report", { href: run.links.report }));
  }
  tr.append(actions);
  return tr;
}

// Two refreshes can overlap (a start and an end event); only the latest one may fill the table.
let listGeneration = 0;
async function loadRuns(fromStart) {
  if (fromStart) nextPage = "/runs?limit=20";
  if (nextPage === null) return;
  const generation = fromStart ? ++listGeneration : listGeneration;
  try {
    const page = await api(nextPage);
    if (generation !== listGeneration) return;
    const body = $("runs-body");
    if (fromStart) body.replaceChildren();
    for (const run of page.runs) body.append(runRow(run));
    nextPage = page.next;
    $("runs-more").hidden = nextPage === null;
    $("runs-problems").textContent = "";
  } catch (error) {
    $("runs-problems").textContent = "cannot list runs: " + error.message;
  }
}

$("token-box").hidden = !authRequired;
$("token").value = token();
$("token-save").addEventListener("click", () => {
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  loadScenarios();
  loadRuns(true);
});
$("start-name").addEventListener("click", () => start("name"));
$("start-yaml").addEventListener("click", () => start("yaml"));
$("live-cancel").addEventListener("click", cancelCurrent);
$("runs-refresh").addEventListener("click", () => loadRuns(true));
$("runs-more").addEventListener("click", () => loadRuns(false));
loadScenarios();
loadRuns(true);
`;

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

export const HOME_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const EXAMPLE_YAML = `name: tiny
guest: { memory: 256MiB }
workload:
  - boot: { data: 64MiB }
  - dirty: { rate: 20MiB/s, working-set: 32MiB }
migration:
  parameters: { max-bandwidth: 1Gbit/s }
`;

export interface HomeOptions {
  /** Whether the API needs a bearer token (the page then asks for it). */
  authRequired: boolean;
}

export function renderHome({ authRequired }: HomeOptions): string {
  const auth = authRequired ? "required" : "none";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>hintmig server</title>
<style>${STYLE}</style>
</head>
<body data-auth="${escapeHtml(auth)}">
<header>
<h1>hintmig</h1>
<p class="lede">A page-level simulator of VM live migration. Start a scenario, watch its passes, read its report.</p>
<nav><a href="/docs">API documentation</a><a href="/openapi.json">OpenAPI</a><a href="/healthz">health</a></nav>
</header>
<section id="token-box" class="card" hidden>
<label for="token">Bearer token</label>
<div class="row"><div><input id="token" type="password" autocomplete="off" size="40"></div>
<div><button id="token-save" type="button">Use token</button></div></div>
<p class="hint">This server requires a token; it is kept in this tab only (sessionStorage).</p>
</section>
<h2>Start a run</h2>
<section class="card">
<div class="row">
<div><label for="scenario">Bundled scenario</label><select id="scenario"></select></div>
<div><label for="seed">Seed (optional)</label><input id="seed" type="number" min="0" step="1" inputmode="numeric"></div>
</div>
<button id="start-name" class="start" type="button">Start bundled scenario</button>
<label for="yaml">Or paste a scenario (YAML)</label>
<textarea id="yaml" spellcheck="false">${escapeHtml(EXAMPLE_YAML)}</textarea>
<button id="start-yaml" class="start" type="button">Start pasted scenario</button>
<div id="start-problems" class="problems" role="alert"></div>
</section>
<section id="live" hidden>
<h2>Run <a id="live-id" href="#"></a></h2>
<div class="card">
<p id="live-state" aria-live="polite"></p>
<progress id="live-progress" value="0" max="1"></progress>
<div id="live-log"></div>
<button id="live-cancel" type="button">Cancel (migrate_cancel)</button>
<a id="live-report" href="#" hidden>Open the report</a>
</div>
</section>
<h2>Runs</h2>
<section class="card">
<button id="runs-refresh" type="button">Refresh</button>
<div id="runs-problems" class="problems"></div>
<table><thead><tr><th>id</th><th>scenario</th><th>state</th><th>created</th><th>outcome</th><th></th></tr></thead>
<tbody id="runs-body"></tbody></table>
<button id="runs-more" type="button" hidden>Older runs</button>
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
