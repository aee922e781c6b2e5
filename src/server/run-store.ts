// The server's runs on disk: one folder per run under the reports directory, in the CLI's layout
// (result.json, scenario.yaml, report.html, meta.json) plus status.json, the run's state. Every file is
// written whole or not at all (temporary file + fsync + rename), so a crash leaves each file either as it
// was or as it was meant to be. Folders are found only through ids checked against the run-id pattern,
// so no request can name a path outside the reports directory.

import * as fs from "node:fs";
import * as path from "node:path";
import Value from "typebox/value";
import { isTempFileOf, TEMP_FILE, writeFileAtomicAsync } from "../store/atomic-write.ts";
import {
  META_FILE,
  REPORT_FILE,
  RESULT_FILE,
  type RunMeta,
  runCreatedAt,
  SCENARIO_FILE,
} from "../store/run-folder.ts";
import { isRunId, makeRunId } from "../store/run-id.ts";
import { type ResultSummary, summarizeResult } from "./result-summary.ts";
import { type RunStatus, RunStatus as RunStatusSchema, TERMINAL_STATES } from "./schemas.ts";

export const STATUS_FILE = "status.json";

/** The files a worker writes (the event loop writes the others). */
export const WORKER_FILES: readonly string[] = [RESULT_FILE, REPORT_FILE];

/** A run found on disk when the server starts. */
export interface StoredRun {
  status: RunStatus;
  /** result.json is there and reads as a result. */
  hasResult: boolean;
  /** No status.json: a run the CLI made, shown read-only. */
  fromCli: boolean;
}

/** What was found in the reports directory, and what could not be read (for the log). */
export interface LoadedRuns {
  runs: StoredRun[];
  skipped: string[];
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await fs.promises.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MAX_ID_ATTEMPTS = 20;

export class RunStore {
  /** Status writes of one run, chained so a later state never lands before an earlier one. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  /** The folder of run `id`; throws on anything that is not a run id (callers validate first). */
  runDir(id: string): string {
    if (!isRunId(id)) throw new Error(`run-store: not a run id: ${JSON.stringify(id)}`);
    const dir = path.join(this.root, id);
    // Belt and braces: the pattern has no dot or slash, so this cannot fail, and must not.
    if (path.dirname(dir) !== path.resolve(this.root))
      throw new Error(`run-store: ${id} escapes ${this.root}`);
    return dir;
  }

  filePath(id: string, file: string): string {
    return path.join(this.runDir(id), file);
  }

  /**
   * Makes a new run's folder and saves its scenario text and meta.json before anything can refer to it.
   * The id's 4-hex suffix can repeat when hundreds of runs start in one second, so the folder is created
   * exclusively and a taken id is drawn again.
   */
  async create(
    scenarioName: string,
    createdAt: Date,
    scenarioText: string,
    scenarioFile: string,
  ): Promise<string> {
    await fs.promises.mkdir(this.root, { recursive: true });
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const id = makeRunId(scenarioName, createdAt);
      try {
        await fs.promises.mkdir(this.runDir(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw error;
      }
      const meta: RunMeta = {
        "run-id": id,
        "created-at": createdAt.toISOString(),
        "scenario-file": scenarioFile,
      };
      // Two files, two fsyncs: side by side, so a POST waits for one disk flush, not two.
      await Promise.all([
        writeFileAtomicAsync(this.filePath(id, SCENARIO_FILE), scenarioText),
        writeFileAtomicAsync(this.filePath(id, META_FILE), `${JSON.stringify(meta, null, 2)}\n`),
      ]);
      return id;
    }
    throw new Error(`run-store: no free run id for ${scenarioName} after ${MAX_ID_ATTEMPTS} attempts`);
  }

  /** Saves a run's status; resolves once it is on disk. Writes of one run happen in call order. */
  writeStatus(status: RunStatus): Promise<void> {
    const file = this.filePath(status.id, STATUS_FILE);
    const text = `${JSON.stringify(status, null, 2)}\n`;
    const previous = this.pending.get(status.id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => writeFileAtomicAsync(file, text));
    this.pending.set(status.id, next);
    const forget = () => {
      if (this.pending.get(status.id) === next) this.pending.delete(status.id);
    };
    next.then(forget, forget);
    return next;
  }

  /** Every status write started so far, finished (for shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  readScenario(id: string): Promise<string | null> {
    return readIfPresent(this.filePath(id, SCENARIO_FILE));
  }

  /** result.json's exact text (served as is), or null when the run has none. */
  readResult(id: string): Promise<string | null> {
    return readIfPresent(this.filePath(id, RESULT_FILE));
  }

  readReport(id: string): Promise<string | null> {
    return readIfPresent(this.filePath(id, REPORT_FILE));
  }

  /**
   * Removes temporary files a killed writer left behind: those of writes to `targets`, or all of them.
   * Only safe when nothing is writing those files any more (all of them: only while loading).
   */
  async removeTempFiles(id: string, targets: readonly string[] | "all"): Promise<void> {
    const dir = this.runDir(id);
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return;
    }
    await Promise.all(
      names
        .filter((name) =>
          targets === "all" ? TEMP_FILE.test(name) : targets.some((target) => isTempFileOf(name, target)),
        )
        .map((name) => fs.promises.rm(path.join(dir, name), { force: true })),
    );
  }

  /** Every run folder under the root, newest first; folders that are not runs are skipped and named. */
  async loadAll(): Promise<LoadedRuns> {
    await fs.promises.mkdir(this.root, { recursive: true });
    const entries = await fs.promises.readdir(this.root, { withFileTypes: true });
    const runs: StoredRun[] = [];
    const skipped: string[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      if (!isRunId(entry.name)) {
        skipped.push(`${entry.name}: not a run id`);
        continue;
      }
      const loaded = await this.loadOne(entry.name);
      if (typeof loaded === "string") skipped.push(`${entry.name}: ${loaded}`);
      else runs.push(loaded);
    }
    runs.sort((a, b) => compareNewestFirst(a.status, b.status));
    return { runs, skipped };
  }

  private async loadOne(id: string): Promise<StoredRun | string> {
    await this.removeTempFiles(id, "all");
    const statusText = await readIfPresent(this.filePath(id, STATUS_FILE));
    if (statusText !== null) {
      const status = parseJson(statusText);
      if (!Value.Check(RunStatusSchema, status)) return "status.json does not match the run status schema";
      if (status.id !== id) return `status.json names another run (${status.id})`;
      // An ended run's result.json is trusted to be whole (it is written atomically); one that never
      // ended is read, since whether it is a whole result decides how the run is settled.
      const hasResult = TERMINAL_STATES.has(status.state)
        ? await exists(this.filePath(id, RESULT_FILE))
        : (await this.readSummary(id)) !== null;
      return { status, hasResult, fromCli: false };
    }
    const summary = await this.readSummary(id);
    if (summary === null) return "neither status.json nor a readable result.json";
    // A CLI run: no status.json, but a whole result (the CLI writes it atomically too).
    const createdAt = runCreatedAt(this.runDir(id));
    return {
      status: {
        id,
        scenario: summary.scenario,
        seed: summary.seed,
        variants: summary.outcomes.map((outcome) => outcome.name),
        state: "completed",
        "created-at": createdAt,
        "started-at": null,
        "finished-at": null,
        error: null,
        outcomes: summary.outcomes,
      },
      hasResult: true,
      fromCli: true,
    };
  }

  /** The summary of the run's result.json, or null when it has none or it is not a result. */
  async readSummary(id: string): Promise<ResultSummary | null> {
    const text = await this.readResult(id);
    return text === null ? null : summarizeResult(parseJson(text));
  }
}

/** Newest first by creation time; ids break ties (they sort by time too, then by their random suffix). */
export function compareNewestFirst(a: RunStatus, b: RunStatus): number {
  const byTime = Date.parse(b["created-at"]) - Date.parse(a["created-at"]);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
