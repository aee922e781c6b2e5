// One benchmark case in its own process, so that its peak RSS is its own. Prints one JSON line.

import { runScenario } from "../src/index.ts";
import { loadScenarioFile } from "../src/scenario/load.ts";
import { runBitsetBaseline } from "./baseline-bitset.ts";

const [kind, arg] = process.argv.slice(2);
const t0 = performance.now();
let line: Record<string, number | string>;
if (kind === "scenario" && arg !== undefined) {
  const { configs } = loadScenarioFile(arg);
  const result = runScenario(configs);
  const wallMs = performance.now() - t0;
  const v = result.variants[result.variants.length - 1]!;
  const pagesSimulated = result.variants.reduce(
    (n, x) => n + x.ram.normal + x.ram.duplicate + x.ram["skipped-free"],
    0,
  );
  line = {
    case: result.scenario,
    variants: result.variants.length,
    wallMs,
    simulatedMs: result.variants.reduce((n, x) => n + x["total-time"], 0),
    passes: v.passes.length,
    status: v.status,
    mismatches: v.verification.mismatches,
    pagesPerWallSec: pagesSimulated / (wallMs / 1000),
  };
} else if (kind === "baseline") {
  const { sentPages } = runBitsetBaseline(268_435_456, 10_000_000, 30);
  const wallMs = performance.now() - t0;
  line = {
    case: "uint32array-bitset-1tib",
    wallMs,
    passes: 31,
    pagesPerWallSec: sentPages / (wallMs / 1000),
  };
} else {
  throw new Error("usage: case.ts scenario FILE | baseline");
}
line.peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(line));
