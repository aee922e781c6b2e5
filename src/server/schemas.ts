// The API's schemas: each validates requests (or status.json when the server loads it back), gives the
// TypeScript type and is the OpenAPI document's definition, so the three cannot disagree. The scenario
// itself is the CLI's ScenarioSchema (src/scenario/schema.ts), checked by the same parser as the CLI's.

import Type, { type Static } from "typebox";
import { ScenarioSchema } from "../scenario/schema.ts";
import { RUN_ID_MAX_LENGTH, RUN_ID_PATTERN } from "../store/run-id.ts";

const RUN_ID_DESCRIPTION =
  "`<scenario>-<yyyymmdd>-<hhmmss>-<hex>`, UTC; also the run's folder under reports/.";

export const RunId = Type.String({
  description: RUN_ID_DESCRIPTION,
  pattern: RUN_ID_PATTERN,
  maxLength: RUN_ID_MAX_LENGTH,
  examples: ["default-20260517-120009-beef"],
});

/**
 * queued → running → completed | failed | cancelled. `completed` means the simulation ran to its end and
 * has a result (a variant in it may still have failed to converge: see `outcomes`).
 */
export const RunState = Type.Enum(["queued", "running", "completed", "failed", "cancelled"], {
  description: "queued → running → completed | failed | cancelled.",
});
export type RunState = Static<typeof RunState>;

export const TERMINAL_STATES: ReadonlySet<RunState> = new Set(["completed", "failed", "cancelled"]);

const Timestamp = (description: string) => Type.String({ description, format: "date-time" });
const NullableTimestamp = (description: string) =>
  Type.Union([Timestamp(description), Type.Null()], { description });

const VariantOutcome = Type.Object(
  {
    name: Type.String(),
    status: Type.Enum(["completed", "cancelled", "failed"], { description: "query-migrate's status." }),
    "error-desc": Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type VariantOutcome = Static<typeof VariantOutcome>;

/** What status.json holds: everything about a run but its result and live progress. */
export const RunStatus = Type.Object(
  {
    id: RunId,
    scenario: Type.String({ description: "The scenario's `name`." }),
    seed: Type.Integer({ minimum: 0 }),
    variants: Type.Array(Type.String(), { description: "Variant names, in the scenario's order." }),
    state: RunState,
    "created-at": Timestamp("When the run was accepted."),
    "started-at": NullableTimestamp("When a worker began it."),
    "finished-at": NullableTimestamp("When it ended."),
    error: Type.Union([Type.String(), Type.Null()], {
      description: "Why it failed or was cancelled; null otherwise.",
    }),
    outcomes: Type.Array(VariantOutcome, {
      description: "Each variant's status once there is a result (empty before).",
    }),
  },
  { additionalProperties: false },
);
export type RunStatus = Static<typeof RunStatus>;

/** The core's progress, in the API's kebab-case. */
export const ProgressView = Type.Object(
  {
    variant: Type.String(),
    guest: Type.Optional(
      Type.String({ description: "The guest, when the variant migrates several at once." }),
    ),
    status: Type.String({
      description: "query-migrate's status: setup, active, device, cancelling, postcopy-active, ...",
    }),
    pass: Type.Integer({ description: "1-based; 0 during setup." }),
    "sim-time-ms": Type.Number({ description: "Simulated ms since `migrate`." }),
    "remaining-pages": Type.Integer({ description: "Dirty pages still to send." }),
    "total-pages": Type.Integer(),
    "transferred-bytes": Type.Number(),
  },
  { additionalProperties: false },
);
export type ProgressView = Static<typeof ProgressView>;

const Links = Type.Object(
  {
    self: Type.String(),
    events: Type.String(),
    report: Type.String(),
  },
  { additionalProperties: false },
);

export const RunView = Type.Object(
  {
    ...RunStatus.properties,
    progress: Type.Union([ProgressView, Type.Null()], {
      description: "The latest progress while running; null otherwise.",
    }),
    "queue-position": Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      description: "1 = next to start, 0 = being handed to a worker; null unless queued.",
    }),
    links: Links,
  },
  { additionalProperties: false },
);
export type RunView = Static<typeof RunView>;

export const RunDetail = Type.Object(
  {
    ...RunView.properties,
    result: Type.Optional(
      Type.Unknown({
        description:
          "The run's result.json (query-migrate's names; see the CLI's --json) once the run has ended with one.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RunPage = Type.Object(
  {
    runs: Type.Array(RunView, { description: "Newest first." }),
    next: Type.Union([Type.String(), Type.Null()], {
      description: "The URL of the next (older) page; null on the last.",
    }),
  },
  { additionalProperties: false },
);

export const RunListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    before: Type.Optional(
      Type.String({
        description: "A run id: only runs older than this one (the `next` link sets it).",
        pattern: RUN_ID_PATTERN,
        maxLength: RUN_ID_MAX_LENGTH,
      }),
    ),
  },
  { additionalProperties: false },
);
export type RunListQuery = Static<typeof RunListQuery>;

export const RunParams = Type.Object(
  { id: Type.String({ description: RUN_ID_DESCRIPTION, maxLength: 1000 }) },
  { additionalProperties: false },
);
export type RunParams = Static<typeof RunParams>;

const Seed = Type.Integer({
  description: "Overrides the scenario's (and every variant's) seed.",
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
});

export const RunQuery = Type.Object({ seed: Type.Optional(Seed) }, { additionalProperties: false });
export type RunQuery = Static<typeof RunQuery>;

const requestProperties = {
  name: Type.Optional(
    Type.String({
      description: "A bundled scenario's `name` (see GET /scenarios).",
      minLength: 1,
      maxLength: 100,
    }),
  ),
  seed: Type.Optional(Seed),
};

const RUN_REQUEST_DESCRIPTION =
  "Exactly one of `name` (a bundled scenario) and `scenario` (a scenario document, as in a scenario file).";

/**
 * What is validated: the envelope. The scenario inside is checked by the scenario parser, as the CLI checks
 * a file, so a JSON body, a YAML body and a file get the same problems with the same words.
 */
export const RunRequest = Type.Object(
  {
    ...requestProperties,
    scenario: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false, description: RUN_REQUEST_DESCRIPTION },
);
export type RunRequest = Static<typeof RunRequest>;

/** What the OpenAPI document shows: the same envelope with the scenario schema spelled out. */
export const RunRequestDoc = Type.Object(
  { ...requestProperties, scenario: Type.Optional(ScenarioSchema) },
  { additionalProperties: false, description: RUN_REQUEST_DESCRIPTION },
);

export const ScenarioYaml = Type.String({
  description: "A scenario file's text (YAML, or JSON, which is YAML too); `?seed=` overrides its seed.",
});

export const ScenarioInfo = Type.Object(
  {
    name: Type.String(),
    file: Type.String({ description: "Path under the scenarios directory." }),
    description: Type.String(),
    variants: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type ScenarioInfo = Static<typeof ScenarioInfo>;

export const ScenarioList = Type.Object(
  { scenarios: Type.Array(ScenarioInfo) },
  { additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    path: Type.String(),
    message: Type.String(),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: "Stable; see the error registry (src/server/errors.ts)." }),
    error: Type.String({ description: "The HTTP reason phrase." }),
    message: Type.String(),
    problems: Type.Optional(Type.Array(ProblemSchema)),
  },
  { additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const Health = Type.Object(
  {
    status: Type.Literal("ok"),
    queued: Type.Integer(),
    running: Type.Integer(),
    threads: Type.Integer(),
    runs: Type.Integer({ description: "Runs known (in reports/)." }),
  },
  { additionalProperties: false },
);
