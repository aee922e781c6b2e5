// The bounded queue in front of the workers. Runs wait here in arrival order; at most one per thread is
// handed to the runner at a time, so "queued" and "running" mean exactly that. Stopping a run is
// cooperative first (a shared flag the core polls between steps, so the result says "cancelled" like
// migrate_cancel) and forced after a grace period (the worker thread is terminated), so no run outlives
// its wall-time limit by more than the grace, whatever the core is doing.

import type { SimConfig } from "../index.ts";
import type { TaskRunner } from "./task-runner.ts";
import {
  type RunMessage,
  STOP,
  type StopReason,
  type WorkerMessage,
  type WorkerOutcome,
} from "./worker-protocol.ts";

export interface QueuedRun {
  runId: string;
  configs: SimConfig[];
  scenarioText: string;
  createdAt: string;
  runDir: string;
}

/** How a dispatched run ended, as far as the queue knows; the run service turns it into a state. */
export type RunEnd =
  | { kind: "done"; outcome: WorkerOutcome; stop: StopReason; wallMs: number }
  | { kind: "error"; message: string; stop: StopReason; wallMs: number };

export interface QueueListener {
  onStarted(runId: string): void;
  onMessage(runId: string, message: RunMessage): void;
  onEnd(runId: string, end: RunEnd): void;
}

export interface QueueOptions {
  maxQueued: number;
  wallTimeMs: number;
  /** After the stop flag is set, how long the core gets to notice before its thread is terminated. */
  stopGraceMs: number;
  /**
   * Time for a fresh worker thread to load the core before the wall-time clock starts; a run that has not
   * started by then is stopped like one past its wall time.
   */
  startAllowanceMs: number;
}

export const QUEUE_DEFAULTS = { stopGraceMs: 2_000, startAllowanceMs: 30_000 } as const;

interface Active {
  run: QueuedRun;
  flag: Int32Array;
  abort: AbortController;
  dispatchedAt: number;
  deadline: NodeJS.Timeout;
  hardStop: NodeJS.Timeout | null;
  started: boolean;
}

/** What `cancel` did. */
export type CancelOutcome = "dequeued" | "stopping" | "unknown";

// Seconds in a Retry-After: at least one (clients must not spin), at most ten minutes.
const RETRY_AFTER_MIN_S = 1;
const RETRY_AFTER_MAX_S = 600;
// A new server has no history; assume a run takes a second until one has finished.
const INITIAL_RUN_MS = 1_000;
// Weight of the newest run in the running average of run times.
const EWMA_WEIGHT = 0.2;

export class RunQueue {
  private readonly waiting: QueuedRun[] = [];
  private readonly active = new Map<string, Active>();
  /** Resolvers of `close()`'s wait for each running run. */
  private readonly endWaiters = new Map<string, () => void>();
  private reservations = 0;
  private averageRunMs = INITIAL_RUN_MS;
  private closed = false;

  constructor(
    private readonly runner: TaskRunner,
    private readonly options: QueueOptions,
    private readonly listener: QueueListener,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  get running(): number {
    return this.active.size;
  }

  get threads(): number {
    return this.runner.threads;
  }

  /**
   * Holds a place for a run about to be created (its files are written between this and `enqueue`), so
   * concurrent requests cannot all see the last free place. False when the queue is full or closed.
   */
  reserve(): boolean {
    if (this.closed || this.waiting.length + this.reservations >= this.options.maxQueued) return false;
    this.reservations++;
    return true;
  }

  /** Gives back a reservation that will not be used (the run could not be created). */
  release(): void {
    this.reservations = Math.max(0, this.reservations - 1);
  }

  /** Adds a run for which `reserve` returned true. */
  enqueue(run: QueuedRun): void {
    this.release();
    this.waiting.push(run);
    this.pump();
  }

  /** 1 for the next run to start, 0 for one being handed to a worker; null when neither. */
  position(runId: string): number | null {
    const active = this.active.get(runId);
    if (active !== undefined) return active.started ? null : 0;
    const index = this.waiting.findIndex((run) => run.runId === runId);
    return index < 0 ? null : index + 1;
  }

  /** How long a client refused with 429 should wait: the time for the queue to drain by one place. */
  retryAfterSeconds(): number {
    const seconds = Math.ceil(((this.waiting.length / this.runner.threads) * this.averageRunMs) / 1000);
    return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, seconds));
  }

  /** Removes a waiting run, or asks a running one to stop. */
  cancel(runId: string, reason: StopReason = STOP.cancel): CancelOutcome {
    const index = this.waiting.findIndex((run) => run.runId === runId);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      return "dequeued";
    }
    const active = this.active.get(runId);
    if (active === undefined) return "unknown";
    this.stop(active, reason);
    return "stopping";
  }

  /** Takes no more runs and hands back those still waiting, which will never start. */
  drain(): QueuedRun[] {
    this.closed = true;
    return this.waiting.splice(0);
  }

  /**
   * Drains the queue (see `drain`; what is still waiting is dropped), stops the running runs, and
   * resolves once each has ended (reported through `onEnd`) and the threads are gone.
   */
  async close(): Promise<void> {
    this.drain();
    const ends = [...this.active.values()].map(
      (active) =>
        new Promise<void>((resolve) => {
          this.endWaiters.set(active.run.runId, resolve);
          this.stop(active, STOP.shutdown);
        }),
    );
    await Promise.all(ends);
    await this.runner.destroy();
  }

  private stop(active: Active, reason: StopReason): void {
    // The first reason wins: a run past its deadline that is then cancelled still failed on time.
    Atomics.compareExchange(active.flag, 0, STOP.none, reason);
    if (active.hardStop !== null) return;
    active.hardStop = setTimeout(() => active.abort.abort(), this.options.stopGraceMs);
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.runner.threads) {
      const run = this.waiting.shift();
      if (run === undefined) return;
      this.dispatch(run);
    }
  }

  private dispatch(run: QueuedRun): void {
    const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const active: Active = {
      run,
      flag: new Int32Array(stop),
      abort: new AbortController(),
      dispatchedAt: performance.now(),
      deadline: setTimeout(
        () => this.stop(active, STOP.deadline),
        this.options.wallTimeMs + this.options.startAllowanceMs,
      ),
      hardStop: null,
      started: false,
    };
    this.active.set(run.runId, active);
    const onMessage = (message: WorkerMessage) => {
      if (this.active.get(run.runId) !== active) return;
      if (message.type === "started") this.markStarted(active);
      else this.listener.onMessage(run.runId, message);
    };
    this.runner
      .run(
        {
          runId: run.runId,
          configs: run.configs,
          scenarioText: run.scenarioText,
          createdAt: run.createdAt,
          runDir: run.runDir,
          stop,
        },
        onMessage,
        active.abort.signal,
      )
      .then(
        (outcome) => this.finish(active, { kind: "done", outcome }),
        (error: unknown) => this.finish(active, { kind: "error", message: errorMessage(error, active) }),
      );
  }

  private markStarted(active: Active): void {
    if (active.started) return;
    active.started = true;
    // The wall-time clock starts with the run itself, not with the thread's start-up.
    clearTimeout(active.deadline);
    active.deadline = setTimeout(() => this.stop(active, STOP.deadline), this.options.wallTimeMs);
    this.listener.onStarted(active.run.runId);
  }

  private finish(
    active: Active,
    end: { kind: "done"; outcome: WorkerOutcome } | { kind: "error"; message: string },
  ): void {
    // A "started" message can arrive after the result (they travel on different ports): say it first,
    // before the timers are cleared (marking it started arms the wall-time timer).
    this.markStarted(active);
    clearTimeout(active.deadline);
    if (active.hardStop !== null) clearTimeout(active.hardStop);
    this.active.delete(active.run.runId);
    const wallMs = performance.now() - active.dispatchedAt;
    const stop = Atomics.load(active.flag, 0) as StopReason;
    if (end.kind === "done") this.averageRunMs += EWMA_WEIGHT * (wallMs - this.averageRunMs);
    this.listener.onEnd(active.run.runId, { ...end, stop, wallMs });
    const waiter = this.endWaiters.get(active.run.runId);
    this.endWaiters.delete(active.run.runId);
    waiter?.();
    this.pump();
  }
}

function errorMessage(error: unknown, active: Active): string {
  if (active.abort.signal.aborted) return "stopped: the worker thread was terminated";
  return error instanceof Error ? error.message : String(error);
}
