// The runs the server knows, and every change of their state: created (files on disk, then queued),
// started, progress, ended. Each change updates memory, becomes an event for SSE clients and is written to
// status.json (in order, atomically; the file trails memory by that one write, and a run whose last status
// write was lost to a crash is settled from its result.json on the next start). Routes ask this module;
// only it talks to the store and the queue.

import type { Progress, SimConfig } from "../index.ts";
import { variantNames } from "../scenario/parse.ts";
import { formatDuration } from "../scenario/units.ts";
import { apiError } from "./errors.ts";
import { type RunEvent, RunEventHub, type RunEventLog } from "./run-events.ts";
import { type QueueOptions, type RunEnd, RunQueue } from "./run-queue.ts";
import { type RunStore, type StoredRun, WORKER_FILES } from "./run-store.ts";
import {
  type ProgressView,
  type RunState,
  type RunStatus,
  type RunView,
  TERMINAL_STATES,
  type VariantOutcome,
} from "./schemas.ts";
import type { TaskRunner } from "./task-runner.ts";
import { type RunMessage, STOP } from "./worker-protocol.ts";

/** The logger calls this module makes (fastify's logger has them). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A scenario ready to run: validated, within limits. */
export interface RunInput {
  configs: SimConfig[];
  scenarioText: string;
  /** Where the text came from: a bundled file's path, or "request body". */
  scenarioFile: string;
}

interface RunRecord {
  status: RunStatus;
  progress: ProgressView | null;
  hasResult: boolean;
  /** Position in creation order, for paging. */
  order: number;
}

/** Why a run ended without completing, in the words status.json and the events use. */
export const REASONS = {
  restart: "interrupted by restart",
  shutdown: "interrupted by shutdown",
  shutdownQueued: "interrupted by shutdown before it started",
  cancelled: "cancelled (DELETE /runs/:id)",
  cancelledQueued: "cancelled (DELETE /runs/:id) before it started",
} as const;

export function progressView(progress: Progress): ProgressView {
  return {
    variant: progress.variant,
    ...(progress.guest === undefined ? {} : { guest: progress.guest }),
    status: progress.status,
    pass: progress.pass,
    "sim-time-ms": progress.simTimeMs,
    "remaining-pages": progress.remainingPages,
    "total-pages": progress.totalPages,
    "transferred-bytes": progress.transferredBytes,
  };
}

/** The state and reason a dispatched run ends in, from how the queue says it ended. */
export function endState(end: RunEnd, wallTimeMs: number): { state: RunState; error: string | null } {
  const stopped = end.kind === "error" || end.outcome.stopped;
  if (end.kind === "done" && !stopped) return { state: "completed", error: null };
  const forced = end.kind === "error" ? "; it did not stop in time and its thread was terminated" : "";
  switch (end.stop) {
    case STOP.cancel:
      return { state: "cancelled", error: `${REASONS.cancelled}${forced}` };
    case STOP.deadline:
      return {
        state: "failed",
        error: `exceeded the wall-time limit of ${formatDuration(wallTimeMs * 1e6)}${forced}`,
      };
    case STOP.shutdown:
      return { state: "failed", error: REASONS.shutdown };
    default:
      return { state: "failed", error: end.kind === "error" ? `worker error: ${end.message}` : null };
  }
}

export interface ServiceOptions {
  store: RunStore;
  runner: TaskRunner;
  queue: QueueOptions;
  log: Log;
  /** The wall clock; tests pin it. */
  now?: () => Date;
}

export class RunService {
  private readonly records = new Map<string, RunRecord>();
  /** Ids in creation order, oldest first. */
  private readonly order: string[] = [];
  private readonly hub = new RunEventHub();
  private readonly queue: RunQueue;
  private readonly store: RunStore;
  private readonly log: Log;
  private readonly now: () => Date;
  private readonly wallTimeMs: number;
  private closing = false;

  private constructor(options: ServiceOptions) {
    this.store = options.store;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.wallTimeMs = options.queue.wallTimeMs;
    this.queue = new RunQueue(options.runner, options.queue, {
      onStarted: (id) => this.started(id),
      onMessage: (id, message) => this.message(id, message),
      onEnd: (id, end) => this.ended(id, end),
    });
  }

  /** Loads the runs on disk, settles those a previous process left unfinished, and starts the queue. */
  static async start(options: ServiceOptions): Promise<RunService> {
    const service = new RunService(options);
    const { runs, skipped } = await options.store.loadAll();
    for (const reason of skipped) service.log.warn(`reports: skipped ${reason}`);
    // loadAll gives newest first; memory keeps creation order.
    for (const run of runs.reverse()) await service.adopt(run);
    return service;
  }

  /**
   * A run from disk. One that was queued or running when its process died is not re-queued: it is marked
   * failed ("interrupted by restart"), unless its result.json is whole, in which case only the status
   * write was lost and the run completed. Re-queuing could crash the new process the way the run may have
   * crashed the old one (a runaway guest), and a result is a pure function of scenario and seed, so
   * submitting it again gives the same bytes.
   */
  private async adopt(run: StoredRun): Promise<void> {
    let status = run.status;
    if (!TERMINAL_STATES.has(status.state)) {
      const finishedAt = this.now().toISOString();
      const summary = run.hasResult ? await this.store.readSummary(status.id) : null;
      if (summary !== null) {
        status = {
          ...status,
          state: "completed",
          "finished-at": finishedAt,
          error: null,
          outcomes: summary.outcomes,
        };
      } else {
        status = { ...status, state: "failed", "finished-at": finishedAt, error: REASONS.restart };
      }
      await this.store.writeStatus(status);
      this.log.info(`run ${status.id}: was ${run.status.state} when the server stopped; now ${status.state}`);
    }
    this.records.set(status.id, {
      status,
      progress: null,
      hasResult: run.hasResult,
      order: this.order.length,
    });
    this.order.push(status.id);
  }

  get size(): number {
    return this.order.length;
  }

  get queued(): number {
    return this.queue.queued;
  }

  get running(): number {
    return this.queue.running;
  }

  get threads(): number {
    return this.queue.threads;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Creates the run's folder and status, then queues it; resolves once it is safely on disk. */
  async submit(input: RunInput): Promise<RunView> {
    if (this.closing) throw apiError("HINTMIG_SHUTTING_DOWN", {});
    if (!this.queue.reserve()) {
      const seconds = this.queue.retryAfterSeconds();
      throw apiError(
        "HINTMIG_QUEUE_FULL",
        { queued: this.queue.queued, seconds },
        { headers: { "retry-after": String(seconds) } },
      );
    }
    try {
      const first = input.configs[0];
      if (first === undefined) throw new Error("run-service: a scenario has at least one variant");
      const createdAt = this.now();
      const id = await this.store.create(
        first.scenarioName,
        createdAt,
        input.scenarioText,
        input.scenarioFile,
      );
      const status: RunStatus = {
        id,
        scenario: first.scenarioName,
        seed: first.seed,
        variants: variantNames(input.configs),
        state: "queued",
        "created-at": createdAt.toISOString(),
        "started-at": null,
        "finished-at": null,
        error: null,
        outcomes: [],
      };
      await this.store.writeStatus(status);
      if (this.closing) throw apiError("HINTMIG_SHUTTING_DOWN", {});
      this.records.set(id, { status, progress: null, hasResult: false, order: this.order.length });
      this.order.push(id);
      this.hub.open(id);
      this.hub.emit(id, "queued", { run: id, position: this.queue.queued + 1 });
      this.queue.enqueue({
        runId: id,
        configs: input.configs,
        scenarioText: input.scenarioText,
        createdAt: status["created-at"],
        runDir: this.store.runDir(id),
      });
      return this.view(id);
    } catch (error) {
      this.queue.release();
      throw error;
    }
  }

  /** The run as the API shows it; throws RUN_NOT_FOUND. */
  view(id: string): RunView {
    const record = this.records.get(id);
    if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id });
    const base = `/runs/${id}`;
    return {
      ...record.status,
      progress: record.status.state === "running" ? record.progress : null,
      "queue-position": record.status.state === "queued" ? this.queue.position(id) : null,
      links: { self: base, events: `${base}/events`, report: `${base}/report` },
    };
  }

  /** Newest first: up to `limit` runs created before `before` (all runs when null). */
  page(limit: number, before: string | null): { runs: RunView[]; next: string | null } {
    let end = this.order.length;
    if (before !== null) {
      const record = this.records.get(before);
      if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id: before });
      end = record.order;
    }
    const start = Math.max(0, end - limit);
    const ids = this.order.slice(start, end).reverse();
    const last = ids.at(-1);
    return { runs: ids.map((id) => this.view(id)), next: start > 0 && last !== undefined ? last : null };
  }

  /** result.json's text once the run has one; null otherwise. */
  async resultText(id: string): Promise<string | null> {
    const record = this.records.get(id);
    if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id });
    return record.hasResult ? this.store.readResult(id) : null;
  }

  /** report.html; throws when the run has none (yet). */
  async report(id: string): Promise<string> {
    const record = this.records.get(id);
    if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id });
    const { state } = record.status;
    if (!TERMINAL_STATES.has(state)) throw apiError("HINTMIG_REPORT_NOT_READY", { id, state });
    const html = record.hasResult ? await this.store.readReport(id) : null;
    if (html === null) {
      const reason = record.hasResult ? "it was not rendered" : `the run ${state} without a result`;
      throw apiError("HINTMIG_REPORT_NOT_FOUND", { id, reason });
    }
    return html;
  }

  /**
   * DELETE /runs/:id. A queued run is cancelled at once; a running one is asked to stop and ends as
   * cancelled shortly (its result then says "cancelled", as after migrate_cancel). Returns whether the
   * run has already ended.
   */
  cancel(id: string): { ended: boolean; run: RunView } {
    const record = this.records.get(id);
    if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id });
    const { state } = record.status;
    if (TERMINAL_STATES.has(state)) throw apiError("HINTMIG_RUN_FINISHED", { id, state });
    const outcome = this.queue.cancel(id, STOP.cancel);
    if (outcome === "dequeued") {
      this.finish(record, "cancelled", REASONS.cancelledQueued, [], false);
      return { ended: true, run: this.view(id) };
    }
    return { ended: false, run: this.view(id) };
  }

  /** The event log a new SSE client reads from: the live one, or a recent one, or just the end event. */
  events(id: string): RunEventLog | RunEvent[] {
    const record = this.records.get(id);
    if (record === undefined) throw apiError("HINTMIG_RUN_NOT_FOUND", { id });
    const log = this.hub.get(id);
    if (log !== undefined) return log;
    return [{ id: 1, event: endEventOf(record.status.state), data: record.status }];
  }

  /** Stops taking runs; ends the waiting and running ones as interrupted; waits for the status writes. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const run of this.queue.drain()) {
      const record = this.records.get(run.runId);
      if (record !== undefined) this.finish(record, "failed", REASONS.shutdownQueued, [], false);
    }
    await this.queue.close();
    await this.store.flush();
  }

  private started(id: string): void {
    const record = this.records.get(id);
    if (record === undefined || record.status.state !== "queued") return;
    record.status = { ...record.status, state: "running", "started-at": this.now().toISOString() };
    this.persist(record.status);
    this.hub.emit(id, "started", { run: id, "started-at": record.status["started-at"] });
  }

  private message(id: string, message: RunMessage): void {
    const record = this.records.get(id);
    if (record === undefined || record.status.state !== "running") return;
    const view = progressView(message.progress);
    if (message.type === "postcopy") {
      this.hub.emit(id, "postcopy", { run: id, variant: view.variant, "sim-time-ms": view["sim-time-ms"] });
      return;
    }
    const previous = record.progress;
    record.progress = view;
    if (previous === null || previous.variant !== view.variant) {
      this.hub.emit(id, "variant", {
        run: id,
        variant: view.variant,
        index: record.status.variants.indexOf(view.variant),
      });
    }
    this.hub.emit(id, message.passChanged ? "pass" : "progress", { run: id, ...view });
  }

  private ended(id: string, end: RunEnd): void {
    const record = this.records.get(id);
    if (record === undefined) return;
    const { state, error } = endState(end, this.wallTimeMs);
    const outcomes = end.kind === "done" ? end.outcome.outcomes : [];
    if (end.kind === "done" && end.outcome.reportError !== null) {
      this.log.error(`run ${id}: report not rendered: ${end.outcome.reportError}`);
    }
    if (end.kind === "error") this.log.warn(`run ${id}: ${error ?? end.message}`);
    if (end.kind === "done") {
      for (const { variant, switchMs } of end.outcome.postcopySwitches) {
        this.hub.emit(id, "postcopy", { run: id, variant, "sim-time-ms": switchMs });
      }
    }
    this.finish(record, state, error, outcomes, end.kind === "done");
    if (end.kind === "error") {
      // A thread killed mid-write leaves its temporary file (the target is whole or absent). Only the
      // worker's files: this run's status.json may be being written right now.
      this.store
        .removeTempFiles(id, WORKER_FILES)
        .catch((cause: unknown) => this.log.warn(`run ${id}: ${String(cause)}`));
    }
  }

  private finish(
    record: RunRecord,
    state: RunState,
    error: string | null,
    outcomes: VariantOutcome[],
    hasResult: boolean,
  ): void {
    record.status = { ...record.status, state, error, outcomes, "finished-at": this.now().toISOString() };
    record.progress = null;
    record.hasResult = hasResult;
    this.persist(record.status);
    this.hub.emit(record.status.id, endEventOf(state), record.status);
  }

  private persist(status: RunStatus): void {
    this.store.writeStatus(status).catch((cause: unknown) => {
      this.log.error(`run ${status.id}: status.json not written: ${String(cause)}`);
    });
  }
}

function endEventOf(state: RunState): "completed" | "failed" | "cancelled" {
  return state === "completed" ? "completed" : state === "cancelled" ? "cancelled" : "failed";
}
