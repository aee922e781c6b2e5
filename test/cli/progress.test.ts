import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Bar, lazyProgress, progressFor } from "../../src/cli/progress.ts";
import type { Progress } from "../../src/index.ts";

interface Call {
  op: string;
  args: unknown[];
}

function recorder(): { calls: Call[]; make: () => Bar } {
  const calls: Call[] = [];
  return {
    calls,
    make: () => ({
      start: (...args) => calls.push({ op: "start", args }),
      update: (...args) => calls.push({ op: "update", args }),
      setTotal: (...args) => calls.push({ op: "setTotal", args }),
      stop: () => calls.push({ op: "stop", args: [] }),
    }),
  };
}

function progress(overrides: Partial<Progress> = {}): Progress {
  return {
    variant: "hinting-on",
    status: "active",
    simTimeMs: 120.4,
    pass: 1,
    remainingPages: 600,
    totalPages: 1000,
    transferredBytes: 0,
    ...overrides,
  };
}

const lazy = suite("progress: lazy bar");

lazy("draws nothing during the first second", () => {
  let clock = 0;
  const bars = recorder();
  const reporter = lazyProgress(bars.make, () => clock);
  reporter.onProgress(progress());
  clock = 1000;
  reporter.onProgress(progress());
  reporter.stop();
  assert.equal(bars.calls, []);
});

lazy("starts after a second, then updates, follows a new total, and stops once", () => {
  let clock = 0;
  const bars = recorder();
  const reporter = lazyProgress(bars.make, () => clock);
  clock = 1001;
  reporter.onProgress(progress());
  reporter.onProgress(progress({ pass: 2, remainingPages: 100 }));
  reporter.onProgress(progress({ variant: "big", remainingPages: 1500, totalPages: 2000 }));
  reporter.stop();
  reporter.stop();
  assert.equal(
    bars.calls.map((call) => call.op),
    ["start", "update", "setTotal", "update", "stop"],
  );
  assert.equal(bars.calls[0]?.args, [
    1000,
    400,
    { variant: "hinting-on", pass: 1, remaining: "600", pages: "1,000", simMs: "120" },
  ]);
  assert.equal(bars.calls[1]?.args[0], 900);
  assert.equal(bars.calls[2]?.args, [2000]);
});

lazy("a disabled reporter never writes", () => {
  const written: string[] = [];
  const stream = {
    write(chunk: string) {
      written.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const reporter = progressFor(false, stream);
  reporter.onProgress(progress());
  reporter.stop();
  assert.equal(written, []);
});

lazy.run();
