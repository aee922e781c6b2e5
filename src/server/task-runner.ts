// Where a run's task executes. The server uses a piscina pool of worker threads, one per core, so
// simulations never block the event loop; tests of the routes can use the in-process runner, which calls
// the same task function on the event loop (fast to start, fine for tiny scenarios).

import { MessageChannel } from "node:worker_threads";
// Not used here, but it must be loaded in the main thread. Node unloads a native addon when the last
// thread that loaded it exits; a worker's V8 heap is torn down after that, and the weak callbacks of the
// roaring bitmaps it still holds then jump into unmapped code (SIGSEGV when piscina terminates a worker:
// at shutdown, or when a run past its wall time is stopped hard). Loaded here, the addon stays mapped.
import "roaring";
import { Piscina } from "piscina";
import runTask from "./worker.ts";
import type { WorkerMessage, WorkerOutcome, WorkerTask } from "./worker-protocol.ts";

/** A task before the runner adds its message channel. */
export type TaskInput = Omit<WorkerTask, "progress">;

export interface TaskRunner {
  /** Tasks that can run at once. */
  readonly threads: number;
  /**
   * Runs a task; `onMessage` gets what the worker posts. An abort ends the task at once (the thread is
   * terminated) and rejects; the cooperative way to stop is the task's stop flag.
   */
  run(
    task: TaskInput,
    onMessage: (message: WorkerMessage) => void,
    signal: AbortSignal,
  ): Promise<WorkerOutcome>;
  /** Stops the threads; tasks still running are aborted. */
  destroy(): Promise<void>;
}

export interface PoolOptions {
  threads: number;
  workerHeapMb: number;
}

export function piscinaRunner({ threads, workerHeapMb }: PoolOptions): TaskRunner {
  const pool = new Piscina<WorkerTask, WorkerOutcome>({
    filename: new URL("./worker.ts", import.meta.url).href,
    // Workers run TypeScript like the main thread does; stated here rather than inherited, so a server
    // started some other way (a test harness, a bundler) still gets it.
    execArgv: ["--import", "tsx"],
    // All threads up front and never retired: starting one compiles the core with tsx (~2 s).
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    concurrentTasksPerWorker: 1,
    resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
  });
  return {
    threads,
    async run(task, onMessage, signal) {
      const { port1, port2 } = new MessageChannel();
      port1.on("message", onMessage);
      try {
        return await pool.run({ ...task, progress: port2 }, { signal, transferList: [port2] });
      } finally {
        port1.close();
      }
    },
    destroy: () => pool.destroy(),
  };
}

/** Runs tasks one at a time on the event loop. Abort cannot interrupt a synchronous run: tests only. */
export function inProcessRunner(): TaskRunner {
  return {
    threads: 1,
    async run(task, onMessage, signal) {
      // Yield first, so the caller's bookkeeping for a dispatched task is done before it starts.
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
      return runTask({ ...task, progress: { postMessage: onMessage } });
    },
    destroy: async () => {},
  };
}
