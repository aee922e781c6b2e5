// What passes between the server's event loop and a simulation worker: the task, the messages the worker
// posts while it runs, and what it returns. Everything here survives structured cloning (no classes, no
// functions); the stop flag is shared memory, so the worker sees a cancellation without a message round
// trip, between two steps of the core.

import type { Progress, SimConfig } from "../index.ts";
import type { VariantOutcome } from "./schemas.ts";

/** Values of the stop flag (Int32 at index 0 of `WorkerTask.stop`). */
export const STOP = {
  /** Keep going. */
  none: 0,
  /** DELETE /runs/:id: stop as migrate_cancel would. */
  cancel: 1,
  /** The wall-time limit passed. */
  deadline: 2,
  /** The server is shutting down. */
  shutdown: 3,
} as const;

export type StopReason = (typeof STOP)[keyof typeof STOP];

/** Where the worker posts its messages: a MessagePort in a thread, a plain callback in tests. */
export interface MessageSink {
  postMessage(message: WorkerMessage): void;
}

export interface WorkerTask {
  runId: string;
  configs: SimConfig[];
  scenarioText: string;
  /** ISO 8601, for the report. */
  createdAt: string;
  /** The run's folder: the worker writes result.json and report.html there itself, off the event loop. */
  runDir: string;
  /** SharedArrayBuffer of one Int32: a StopReason. */
  stop: SharedArrayBuffer;
  progress: MessageSink;
}

export type WorkerMessage =
  | { type: "started" }
  /** Throttled by the worker; `passChanged` marks the first message of a new pass or variant. */
  | { type: "progress"; progress: Progress; passChanged: boolean }
  /** The guest now runs on the destination (postcopy), if the core reports it. */
  | { type: "postcopy"; progress: Progress };

/** The messages after "started", which the queue handles itself. */
export type RunMessage = Exclude<WorkerMessage, { type: "started" }>;

export interface WorkerOutcome {
  outcomes: VariantOutcome[];
  /** The core saw the stop flag and cut the run short (a flag set after its last poll changes nothing). */
  stopped: boolean;
  /**
   * Postcopy switches the core did not announce in its progress (it reports no phase there yet), taken
   * from each variant's result: the simulated time of the switch, told once the run is over.
   */
  postcopySwitches: { variant: string; switchMs: number }[];
  /** Whether report.html was written (a failing renderer must not lose the result). */
  report: boolean;
  /** Why the report could not be rendered, when it could not. */
  reportError: string | null;
}
