// The server's configuration: every default in one table, and the environment variables that override
// them. Sizes and durations are written with the scenario files' units ("64GiB", "90s"), parsed by the same
// functions, so there is one way to say "a gibibyte" in the whole project.

import { availableParallelism } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { formatDuration, formatSize, parseDuration, parseSize } from "../scenario/units.ts";

/** Per-run and per-request limits; each protects the server from one kind of runaway input. */
export interface RunLimits {
  /** Runs waiting for a worker (not counting running ones); a POST beyond it gets 429 with Retry-After. */
  maxQueued: number;
  /** Largest guest a variant may simulate: memory use of a worker grows with it. */
  maxGuestBytes: number;
  /** Longest simulated time per variant: `migration.start` plus `simulation.max-migration-time`. */
  maxSimulatedNs: number;
  /** Longest wall time a run may take once started; past it, it is stopped and marked failed. */
  wallTimeMs: number;
  /** Largest request body (a scenario as JSON or YAML). */
  bodyLimitBytes: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Required as `Authorization: Bearer <token>` when set; must be set to bind anything but loopback. */
  token: string | null;
  /** Where run folders live (`<reportsDir>/<run-id>/`); created if missing. */
  reportsDir: string;
  /** The bundled scenarios, startable by name. */
  scenariosDir: string;
  /** Worker threads running simulations. */
  threads: number;
  /** V8 heap cap per worker, MiB: a runaway run dies alone instead of taking the server down. */
  workerHeapMb: number;
  limits: RunLimits;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The defaults, and why each is what it is. */
export const DEFAULTS: ServerConfig = {
  // Loopback: the API starts arbitrary CPU work, so exposing it is an explicit decision (and needs a token).
  host: "127.0.0.1",
  port: 8080,
  token: null,
  reportsDir: path.join(ROOT, "reports"),
  scenariosDir: path.join(ROOT, "scenarios"),
  // One simulation per core: the core is single-threaded CPU work, more threads would only time-slice.
  threads: Math.max(1, availableParallelism()),
  // The 1 TiB bench cases peak near 350 MiB; four times that leaves room without risking the host.
  workerHeapMb: 2048,
  limits: {
    // A queued run is a parsed scenario (a few KB), so a thousand cost little memory; beyond that a client
    // is better told to come back than left waiting minutes for a slot.
    maxQueued: 1000,
    // 256 GiB runs in well under a second per pass on this machine; 1 TiB works but takes seconds per pass
    // and is the CLI's and the bench's business, not a shared server's.
    maxGuestBytes: 256 * 2 ** 30,
    // The default max-migration-time is 1 h; allow that plus an hour of guest life before `migrate`.
    maxSimulatedNs: 2 * 3600e9,
    // The slowest bench case (1 TiB, 30 passes) takes ~9 s; a minute is generous for anything the
    // guest-size limit lets in.
    wallTimeMs: 60_000,
    // Scenario files are a few KB; 256 KiB leaves room for long variant lists and keeps YAML parsing,
    // which runs on the event loop, short.
    bodyLimitBytes: 256 * 2 ** 10,
  },
};

/** The environment variables read, with what each sets (also the text of `--help`-like errors). */
export const ENV_VARS = {
  HINTMIG_HOST: "address to bind (loopback unless HINTMIG_TOKEN is set)",
  HINTMIG_PORT: "TCP port, 0 for any free one",
  HINTMIG_TOKEN: "bearer token required on API requests; required to bind a non-loopback address",
  HINTMIG_REPORTS_DIR: "run folders",
  HINTMIG_SCENARIOS_DIR: "bundled scenarios",
  HINTMIG_THREADS: "worker threads",
  HINTMIG_WORKER_HEAP_MB: "V8 heap limit per worker, MiB",
  HINTMIG_MAX_QUEUED: "runs waiting for a worker before POST /runs answers 429",
  HINTMIG_MAX_GUEST: 'largest guest memory per variant, e.g. "256GiB"',
  HINTMIG_MAX_SIMULATED:
    'longest simulated time per variant (migration start + max-migration-time), e.g. "2h"',
  HINTMIG_WALL_TIME: 'longest wall time per run, e.g. "60s"',
  HINTMIG_BODY_LIMIT: 'largest request body, e.g. "256KiB"',
} as const;

export type EnvName = keyof typeof ENV_VARS;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Addresses that only this machine can reach: binding them needs no token. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: EnvName, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}: got "${text}"; expected an integer from ${min} to ${max}`);
  }
  return value;
}

function quantity(
  env: Env,
  name: EnvName,
  fallback: number,
  parse: (text: string) => { ok: true; value: number } | { ok: false; expected: string },
  format: (value: number) => string,
): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const parsed = parse(text);
  if (!parsed.ok) throw new ConfigError(`${name}: got "${text}"; expected ${parsed.expected}`);
  if (parsed.value <= 0) throw new ConfigError(`${name}: got "${text}"; expected more than ${format(0)}`);
  return parsed.value;
}

/** The configuration from `env`, defaults filled in; throws ConfigError naming the variable at fault. */
export function configFromEnv(env: Env, cwd: string = process.cwd()): ServerConfig {
  const d = DEFAULTS;
  const host = env.HINTMIG_HOST || d.host;
  const token = env.HINTMIG_TOKEN || null;
  if (!isLoopback(host) && token === null) {
    throw new ConfigError(
      `HINTMIG_HOST: ${host} is not a loopback address; set HINTMIG_TOKEN so that only clients sending ` +
        "`Authorization: Bearer <token>` can start runs",
    );
  }
  const dir = (name: EnvName, fallback: string) => {
    const text = env[name];
    return text === undefined || text === "" ? fallback : path.resolve(cwd, text);
  };
  return {
    host,
    port: integer(env, "HINTMIG_PORT", d.port, 0, 65535),
    token,
    reportsDir: dir("HINTMIG_REPORTS_DIR", d.reportsDir),
    scenariosDir: dir("HINTMIG_SCENARIOS_DIR", d.scenariosDir),
    threads: integer(env, "HINTMIG_THREADS", d.threads, 1, 256),
    workerHeapMb: integer(env, "HINTMIG_WORKER_HEAP_MB", d.workerHeapMb, 64, 1 << 20),
    limits: {
      maxQueued: integer(env, "HINTMIG_MAX_QUEUED", d.limits.maxQueued, 1, 1_000_000),
      maxGuestBytes: quantity(env, "HINTMIG_MAX_GUEST", d.limits.maxGuestBytes, parseSize, formatSize),
      maxSimulatedNs: quantity(
        env,
        "HINTMIG_MAX_SIMULATED",
        d.limits.maxSimulatedNs,
        parseDuration,
        formatDuration,
      ),
      wallTimeMs:
        quantity(env, "HINTMIG_WALL_TIME", d.limits.wallTimeMs * 1e6, parseDuration, formatDuration) / 1e6,
      bodyLimitBytes: quantity(env, "HINTMIG_BODY_LIMIT", d.limits.bodyLimitBytes, parseSize, formatSize),
    },
  };
}
