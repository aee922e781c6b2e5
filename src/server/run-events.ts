// A run's story as server-sent events: queued, started, each variant and pass, the postcopy switch, and how
// it ended. Milestones are kept in a numbered log, so a client that connects late, or reconnects with
// Last-Event-ID, is told what it missed; throttled progress is kept only as the latest value. Logs are
// memory, so they are bounded: per run, and in how many ended runs keep theirs.

export type RunEventName =
  | "queued"
  | "started"
  | "variant"
  | "pass"
  | "progress"
  | "postcopy"
  | "completed"
  | "failed"
  | "cancelled";

export const END_EVENTS: ReadonlySet<RunEventName> = new Set(["completed", "failed", "cancelled"]);

export interface RunEvent {
  /** 1-based, per run; the SSE `id:` field. */
  id: number;
  event: RunEventName;
  data: Readonly<Record<string, unknown>>;
}

/** Events of one run beyond this many drop the oldest (a run with thousands of passes). */
export const MAX_LOGGED_EVENTS = 1000;
/** Ended runs whose logs are kept, most recent first; older ones answer with their end event only. */
export const MAX_ENDED_LOGS = 64;
/** A client this many events behind is disconnected (it can reconnect with Last-Event-ID). */
export const MAX_BUFFERED_EVENTS = 1000;

type Listener = (event: RunEvent) => void;

export class RunEventLog {
  private readonly log: RunEvent[] = [];
  private latestProgress: RunEvent | null = null;
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private ended = false;

  get isEnded(): boolean {
    return this.ended;
  }

  emit(event: RunEventName, data: Readonly<Record<string, unknown>>): void {
    if (this.ended) return;
    const entry: RunEvent = { id: this.nextId++, event, data };
    if (event === "progress") this.latestProgress = entry;
    else {
      this.log.push(entry);
      if (this.log.length > MAX_LOGGED_EVENTS) this.log.shift();
      this.latestProgress = null;
    }
    if (END_EVENTS.has(event)) this.ended = true;
    for (const listener of this.listeners) listener(entry);
    if (this.ended) this.listeners.clear();
  }

  /** What a client that has seen up to `afterId` (0: nothing) should be sent now, in order. */
  since(afterId: number): RunEvent[] {
    const missed = this.log.filter((entry) => entry.id > afterId);
    if (this.latestProgress !== null && this.latestProgress.id > afterId) missed.push(this.latestProgress);
    return missed;
  }

  /** Calls `listener` with every later event until the run ends or the returned function is called. */
  subscribe(listener: Listener): () => void {
    if (this.ended) return () => {};
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

/** The logs of all runs this process has seen: live ones, and the most recently ended. */
export class RunEventHub {
  private readonly live = new Map<string, RunEventLog>();
  /** Insertion order is end order, so the first key is the one to forget next. */
  private readonly ended = new Map<string, RunEventLog>();

  open(runId: string): RunEventLog {
    const log = new RunEventLog();
    this.live.set(runId, log);
    return log;
  }

  get(runId: string): RunEventLog | undefined {
    return this.live.get(runId) ?? this.ended.get(runId);
  }

  /** Emits to a live run's log and, on an end event, moves the log to the bounded set of ended ones. */
  emit(runId: string, event: RunEventName, data: Readonly<Record<string, unknown>>): void {
    const log = this.live.get(runId);
    if (log === undefined) return;
    log.emit(event, data);
    if (!log.isEnded) return;
    this.live.delete(runId);
    this.ended.set(runId, log);
    for (const id of this.ended.keys()) {
      if (this.ended.size <= MAX_ENDED_LOGS) break;
      this.ended.delete(id);
    }
  }
}

/**
 * The events a client should receive, as an async iterable: first what it missed, then each new event
 * until the run ends, the client goes away (`signal`), or it falls too far behind.
 */
export async function* eventStream(
  log: RunEventLog,
  afterId: number,
  signal: AbortSignal,
): AsyncGenerator<RunEvent> {
  const buffer: RunEvent[] = [];
  let wake: (() => void) | null = null;
  let overflow = false;
  const unsubscribe = log.subscribe((event) => {
    if (buffer.length >= MAX_BUFFERED_EVENTS) overflow = true;
    else buffer.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    // Subscribed before reading the backlog, so nothing falls between the two; ids drop the overlap.
    let lastId = afterId;
    for (const event of log.since(afterId)) {
      lastId = event.id;
      yield event;
      if (END_EVENTS.has(event.event)) return;
    }
    while (!signal.aborted && !overflow) {
      const next = buffer.shift();
      if (next === undefined) {
        if (log.isEnded) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      if (next.id <= lastId) continue;
      lastId = next.id;
      yield next;
      if (END_EVENTS.has(next.event)) return;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
