// A progress bar on stderr, fed from the core's onProgress hook. Short runs finish before a bar would be
// readable, so the bar appears only once a run has taken more than a second of wall time.

import { SingleBar } from "cli-progress";
import type { Progress } from "../index.ts";
import { groupThousands } from "./table.ts";

/** The part of a cli-progress bar we drive; tests pass a recorder instead. */
export interface Bar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressReporter {
  onProgress(progress: Progress): void;
  /** Removes the bar, if one was drawn, so what follows starts on a clean line. */
  stop(): void;
}

export const PROGRESS_DELAY_MS = 1000;

export function lazyProgress(
  makeBar: () => Bar,
  now: () => number,
  delayMs = PROGRESS_DELAY_MS,
): ProgressReporter {
  const startedAt = now();
  let bar: Bar | null = null;
  let total = 0;
  return {
    onProgress(progress) {
      const payload = {
        variant: progress.variant,
        pass: progress.pass,
        remaining: groupThousands(progress.remainingPages),
        pages: groupThousands(progress.totalPages),
        simMs: groupThousands(progress.simTimeMs),
      };
      const done = progress.totalPages - progress.remainingPages;
      if (bar === null) {
        if (now() - startedAt <= delayMs) return;
        bar = makeBar();
        total = progress.totalPages;
        bar.start(total, done, payload);
        return;
      }
      // Variants of one scenario may differ in guest size.
      if (progress.totalPages !== total) {
        total = progress.totalPages;
        bar.setTotal(total);
      }
      bar.update(done, payload);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

const silent: ProgressReporter = { onProgress() {}, stop() {} };

/** The reporter for a run: a lazy bar on a terminal, nothing otherwise (pipes, files, CI logs, --json). */
export function progressFor(enabled: boolean, stream: NodeJS.WritableStream): ProgressReporter {
  if (!enabled) return silent;
  return lazyProgress(
    () =>
      new SingleBar({
        stream,
        format: "{variant} pass {pass} [{bar}] {remaining}/{pages} pages left, {simMs} ms simulated",
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
        // The core runs synchronously, so the bar's own timer never fires; redraw from update() instead.
        synchronousUpdate: true,
      }),
    () => performance.now(),
  );
}
