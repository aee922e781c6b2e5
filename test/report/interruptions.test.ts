// The cancels-and-faults section: a row per variant a cancel or a broken link cut short, latencies from
// microseconds to a quarter of an hour each in its own unit, the errors as text, and nothing at all when
// every variant ran to its end.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { InterruptionResult, VariantResult } from "../../src/index.ts";
import { renderReport } from "../../src/report/index.ts";
import { formatLatency } from "../../src/report/interruptions.ts";
import { CREATED_AT, runResult, variant } from "./fixtures.ts";
import { chartData, tags } from "./tags.ts";

const render = (variants: VariantResult[]) =>
  renderReport({ runId: "r", result: runResult(variants), scenarioText: "", createdAt: CREATED_AT });

function section(page: string): string {
  const start = page.indexOf('<section id="interruptions"');
  return start < 0 ? "" : page.slice(start, page.indexOf("</section>", start));
}

function interrupted(name: string, stop: Partial<InterruptionResult>, errorDesc?: string): VariantResult {
  const v = variant({
    name,
    overrides: {
      status: stop.cause === "migrate_cancel" ? "cancelled" : "failed",
      ...(errorDesc === undefined ? {} : { "error-desc": errorDesc }),
    },
  });
  v.verification = { ...v.verification, scope: "source", "guest-running-on": "source" };
  v.interruption = {
    cause: "link-down",
    "event-ms": 2000,
    "status-ms": 926_600,
    "latency-ms": 924_600,
    host: "source",
    channel: "the migration stream",
    layer: "QEMU's socket, TCP",
    "wasted-bytes": 1_776_819_420,
    "discarded-pages": 933_085,
    ...stop,
  };
  return v;
}

const faults = suite("report: cancels and network faults");

faults("latencies read in their own unit, from microseconds to a quarter hour", () => {
  assert.equal([0.005, 0.868, 3.564, 17.82, 30_000, 924_600].map(formatLatency), [
    "5 µs",
    "868 µs",
    "3.6 ms",
    "18 ms",
    "30.0 s",
    "924.6 s",
  ]);
});

faults("no section when every variant ran to its end", () => {
  const page = render([variant()]);
  assert.is(section(page), "");
  assert.not.match(page, /href="#interruptions"/);
});

faults("a row per interrupted variant with the result's figures; the chart plots every latency", () => {
  const cut = interrupted("plain-cut", {}, "Unable to write to socket: Connection timed out (...)");
  const cancel = interrupted("tunnelled-cancel", {
    cause: "migrate_cancel",
    "latency-ms": 0.005,
    channel: "the daemons' connection",
  });
  const page = render([variant(), cut, cancel]);
  const html = section(page);
  assert.match(page, /href="#interruptions"/);
  const latencies = [
    ...html.matchAll(/data-field="interruption\.latency-ms" data-value="([^"]*)">([^<]*)</g),
  ];
  assert.equal(
    latencies.map((m) => [m[1], m[2]]),
    [
      ["924600", "924.6 s"],
      ["0.005", "5 µs"],
    ],
  );
  assert.match(html, /Unable to write to socket: Connection timed out/);
  assert.match(html, /noticed soonest by <strong>plain-cut<\/strong> \(924\.6 s\)/);
  assert.match(html, /soonest in <strong>tunnelled-cancel<\/strong> \(5 µs\)/);
  const chart = chartData(page)["chart-interruption-latency"]!;
  assert.equal(chart.data.labels, ["plain-cut", "tunnelled-cancel"]);
  // The log axis has no zero: an instant is drawn at a microsecond, never below.
  assert.equal(chart.data.datasets[0]!.data, [924_600, 0.005]);
});

faults("hostile error text, channel and layer are shown as text, never markup", () => {
  const evil = interrupted(
    "<img src=x onerror=alert(1)>",
    { channel: "<script>alert(2)</script>", layer: '"><b>layer</b>' },
    "</code><script>alert(3)</script>",
  );
  const page = render([evil]);
  assert.not.ok(tags(page).some((t) => t.name === "img" || t.name === "b"));
  assert.match(section(page), /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
});

faults("a run where every variant was cut short ranks none and points at the section", () => {
  const page = render([interrupted("a", {}), interrupted("b", { cause: "migrate_cancel" })]);
  const headline = page.slice(page.indexOf('<section id="headline"'), page.indexOf("</section>"));
  assert.match(headline, /Every variant was cut short .*<a href="#interruptions">/s);
  assert.not.match(headline, /won/);
});

faults.run();
