// One run in a worker thread (piscina's task function): simulate every variant, write result.json and
// report.html into the run's folder, return each variant's status. Progress goes to the event loop as
// messages, throttled here where the core's hot loop is; the stop flag is read from shared memory each
// time the core polls it.

import * as path from "node:path";
import { type Progress, runScenario } from "../index.ts";
import { renderReport } from "../report/index.ts";
import { writeFileAtomic } from "../store/atomic-write.ts";
import { resultJson } from "../store/result-json.ts";
import { REPORT_FILE, RESULT_FILE } from "../store/run-folder.ts";
import { summarizeResult } from "./result-summary.ts";
import { STOP, type WorkerOutcome, type WorkerTask } from "./worker-protocol.ts";

/** Progress messages between two pass changes are at most this often: enough for a live bar. */
export const PROGRESS_INTERVAL_MS = 200;

/** Whether progress says the guest runs on the destination: the switch is announced as it happens. */
function isPostcopy(progress: Progress): boolean {
  return progress.status === "postcopy-active";
}

/** A variant's guest (or the variant, when it migrates one guest), as progress names it. */
function guestKey(variant: string, guest: string | undefined): string {
  return `${variant}\u0000${guest ?? ""}`;
}

export default function runTask(task: WorkerTask): WorkerOutcome {
  const stop = new Int32Array(task.stop);
  const sink = task.progress;
  sink.postMessage({ type: "started" });

  // The pass each guest of each variant is in: guests of one variant report in turn, each its own passes.
  const lastPass = new Map<string, number>();
  let lastPostMs = Number.NEGATIVE_INFINITY;
  const announced = new Set<string>();
  let stopped = false;
  const result = runScenario(task.configs, {
    onProgress(progress) {
      const key = guestKey(progress.variant, progress.guest);
      if (isPostcopy(progress) && !announced.has(key)) {
        announced.add(key);
        sink.postMessage({ type: "postcopy", progress });
      }
      const now = performance.now();
      const passChanged = lastPass.get(key) !== progress.pass;
      if (!passChanged && now - lastPostMs < PROGRESS_INTERVAL_MS) return;
      lastPass.set(key, progress.pass);
      lastPostMs = now;
      sink.postMessage({ type: "progress", progress, passChanged });
    },
    shouldStop() {
      if (Atomics.load(stop, 0) !== STOP.none) stopped = true;
      return stopped;
    },
  });

  // The result first: it is what must survive; a report can be rendered again from it later.
  writeFileAtomic(path.join(task.runDir, RESULT_FILE), resultJson(result));
  let report = false;
  let reportError: string | null = null;
  try {
    const html = renderReport({
      runId: task.runId,
      result,
      scenarioText: task.scenarioText,
      createdAt: task.createdAt,
    });
    writeFileAtomic(path.join(task.runDir, REPORT_FILE), html);
    report = true;
  } catch (error) {
    reportError = error instanceof Error ? error.message : String(error);
  }
  const outcomes = summarizeResult(result)?.outcomes ?? [];
  const postcopySwitches = result.variants.flatMap((variant) =>
    // A run stopped before its progress said so still has its switch in the result.
    variant.postcopy === undefined || announced.has(guestKey(variant.name, undefined))
      ? []
      : [{ variant: variant.name, switchMs: variant.postcopy["switch-ms"] }],
  );
  return { outcomes, stopped, postcopySwitches, report, reportError };
}
