// npm run bench: each case in a fresh process; prints a table and the targets.

import { execFileSync } from "node:child_process";

interface Line {
  case: string;
  wallMs: number;
  simulatedMs?: number;
  passes: number;
  peakRssMiB: number;
  pagesPerWallSec: number;
  status?: string;
  mismatches?: number;
}

const cases: { args: string[]; targetWallMs?: number; targetRssMiB?: number }[] = [
  { args: ["scenario", "scenarios/default.yaml"], targetWallMs: 200 },
  { args: ["scenario", "bench/scenarios/128gib.yaml"] },
  { args: ["scenario", "bench/scenarios/1tib.yaml"], targetWallMs: 10_000, targetRssMiB: 2048 },
  { args: ["scenario", "bench/scenarios/1tib-hinting.yaml"], targetWallMs: 2_000 },
  { args: ["baseline"] },
];

const fmt = (x: number | undefined, digits = 0) =>
  x === undefined ? "-" : x.toLocaleString("en-US", { maximumFractionDigits: digits });

console.log(
  ["case", "wall ms", "simulated ms", "passes", "peak RSS MiB", "pages/wall s", "status", "target"].join(
    "\t",
  ),
);
let missed = 0;
for (const c of cases) {
  const out = execFileSync(process.execPath, ["--import", "tsx", "bench/case.ts", ...c.args], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  const line = JSON.parse(out.trim().split("\n").pop()!) as Line;
  const checks: string[] = [];
  if (c.targetWallMs !== undefined) {
    const ok = line.wallMs < c.targetWallMs;
    if (!ok) missed++;
    checks.push(`wall < ${c.targetWallMs} ms ${ok ? "ok" : "MISSED"}`);
  }
  if (c.targetRssMiB !== undefined) {
    const ok = line.peakRssMiB < c.targetRssMiB;
    if (!ok) missed++;
    checks.push(`RSS < ${c.targetRssMiB} MiB ${ok ? "ok" : "MISSED"}`);
  }
  const status = line.status === undefined ? "-" : `${line.status}, ${line.mismatches} mismatches`;
  console.log(
    [
      line.case,
      fmt(line.wallMs),
      fmt(line.simulatedMs),
      line.passes,
      fmt(line.peakRssMiB),
      fmt(line.pagesPerWallSec),
      status,
      checks.join("; ") || "-",
    ].join("\t"),
  );
}
console.log(missed === 0 ? "bench: all targets met" : `bench: ${missed} target(s) missed`);
