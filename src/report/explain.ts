// One line per reason a variant's figures are what they are, read off its counters: what the reader of a
// headline asks next ("why did hinting send 95% less?"). Plain text; the caller escapes it.

import type { VariantResult } from "../model.ts";
import { numberAt } from "./fields.ts";
import { formatBytes, formatMs, formatNumber, groupThousands } from "./format.ts";
import { guestsOf, passCount } from "./guests.ts";

function pages(count: number, pageSize: number): string {
  return `${groupThousands(count)} pages (${formatBytes(count * pageSize)})`;
}

export function explainVariant(variant: VariantResult): string[] {
  const { ram } = variant;
  const size = ram["page-size"];
  const lines: string[] = [];
  const guests = guestsOf(variant);
  if (guests.length > 0) {
    const names = guests.map((g) => g.name).join(", ");
    lines.push(
      guests.length === 1
        ? `one guest (${names}); its own figures are under Guests`
        : `${guests.length} guests at once (${names}); these are their totals, each guest's are under Guests`,
    );
  }
  if (ram["skipped-free"] > 0) {
    lines.push(`skipped ${pages(ram["skipped-free"], size)} the guest hinted free`);
  }
  lines.push(`sent ${pages(ram.normal, size)} whole`);
  if (ram.duplicate > 0) lines.push(`sent ${pages(ram.duplicate, size)} as zero-page markers`);

  const last = variant.passes.at(-1);
  const passes = passCount(variant);
  const passText = `${passes} ${passes === 1 ? "pass" : "passes"}`;
  if (guests.length > 1) {
    // Each guest pauses on its own; the variant's downtime is the longest of them.
    const longest = guests.reduce((a, b) => (b.downtime > a.downtime ? b : a));
    lines.push(
      `${passText} over the guests; the longest pause was ${longest.name}'s, ${formatMs(longest.downtime)} ms`,
    );
  } else if (last?.stage === "stop-and-copy") {
    lines.push(
      `${passText}; stop-and-copy sent ${groupThousands(last["dirty-pages-at-start"])} dirty pages ` +
        `with the guest paused for ${formatMs(variant.downtime)} ms`,
    );
  } else {
    lines.push(passText);
  }
  if (variant["cpu-throttle-percentage"] > 0) {
    lines.push(`auto-converge throttled the vCPUs to ${formatNumber(variant["cpu-throttle-percentage"])}%`);
  }
  const requests = numberAt(ram, ["postcopy-requests"]) ?? 0;
  if (requests > 0) lines.push(`postcopy: the destination requested ${groupThousands(requests)} pages`);
  lines.push(`average ${formatNumber(ram.mbps, 0)} Mbit/s on the wire`);
  if (variant.status === "failed") lines.push(`failed: ${variant["error-desc"] ?? "no reason given"}`);
  const { mismatches, "mismatched-pages": listed } = variant.verification;
  if (mismatches > 0) {
    const example = listed[0];
    const first =
      example === undefined
        ? ""
        : ` (e.g. page ${example.page}: source version ${example.source}, destination ${example.destination})`;
    lines.push(`verifier: ${groupThousands(mismatches)} pages differ between source and destination${first}`);
  }
  return lines;
}
