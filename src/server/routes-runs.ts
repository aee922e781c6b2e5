// The /runs routes: start a run, list runs, read one (with its result once it has one), follow it as
// server-sent events, read its report, cancel it. Each validates its input against the schemas in
// schemas.ts and leaves everything about runs to the run service.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import Value from "typebox/value";
import { isRunId } from "../store/run-id.ts";
import type { Catalogue } from "./bundled-scenarios.ts";
import type { RunLimits } from "./config.ts";
import { apiError, type ProblemItem } from "./errors.ts";
import { reportCsp } from "./report-csp.ts";
import { eventStream, type RunEvent } from "./run-events.ts";
import type { RunInput, RunService } from "./run-service.ts";
import { BODY_FILE_NAME, checkLimits, scenarioFromText } from "./scenario-input.ts";
import {
  ErrorBody,
  RunDetail,
  RunListQuery,
  RunPage,
  RunParams,
  RunQuery,
  RunRequest,
  RunRequestDoc,
  RunView,
  ScenarioYaml,
} from "./schemas.ts";

/** Media types read as scenario text. JSON is YAML too, but JSON bodies are the request envelope. */
export const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"] as const;

export interface RunRoutesOptions {
  service: RunService;
  catalogue: Catalogue;
  limits: RunLimits;
}

const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, ErrorBody]));

/** The id in a URL, checked before anything uses it: only the run-id alphabet can reach the store. */
function checkedId(id: string): string {
  if (!isRunId(id)) throw apiError("HINTMIG_INVALID_RUN_ID", { id: JSON.stringify(id.slice(0, 120)) });
  return id;
}

/** The scenario a JSON envelope names or carries. */
function fromEnvelope(body: RunRequest, querySeed: number | undefined, catalogue: Catalogue): RunInput {
  const given = (["name", "scenario"] as const).filter((key) => body[key] !== undefined);
  if (given.length !== 1) {
    const problems: ProblemItem[] = [
      { path: "name", message: "give exactly one of name, scenario" },
      { path: "scenario", message: "give exactly one of name, scenario" },
    ];
    throw apiError(
      "HINTMIG_INVALID_REQUEST",
      { detail: `give exactly one of name, scenario (got ${given.length === 0 ? "neither" : "both"})` },
      { problems },
    );
  }
  if (body.seed !== undefined && querySeed !== undefined && body.seed !== querySeed) {
    throw apiError(
      "HINTMIG_INVALID_REQUEST",
      { detail: `seed: ${body.seed} in the body, ${querySeed} in the query; give one` },
      { problems: [{ path: "seed", message: "given twice with different values" }] },
    );
  }
  const seed = body.seed ?? querySeed;
  if (body.name !== undefined) {
    const bundled = catalogue.byName.get(body.name);
    if (bundled === undefined) {
      throw apiError(
        "HINTMIG_UNKNOWN_SCENARIO",
        { name: JSON.stringify(body.name) },
        {
          problems: [{ path: "name", message: `no bundled scenario is named ${JSON.stringify(body.name)}` }],
        },
      );
    }
    return scenarioFromText(bundled.text, bundled.fileName, seed);
  }
  // Parsed as the text it becomes (and is stored as), so a JSON scenario meets exactly the file checks.
  return scenarioFromText(`${JSON.stringify(body.scenario, null, 2)}\n`, BODY_FILE_NAME, seed);
}

export async function runRoutes(app: FastifyInstance, options: RunRoutesOptions): Promise<void> {
  const { service, catalogue, limits } = options;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    "/runs",
    {
      schema: {
        tags: ["runs"],
        summary: "Start a run",
        description:
          "Queues a scenario and answers 202 with the run (Location: /runs/{id}). The body is JSON " +
          "(`{ name }` for a bundled scenario, or `{ scenario }`, each with an optional `seed`) or a " +
          "scenario file's text with a YAML content type (seed in `?seed=`). Problems in the scenario come " +
          "back as 400 with one entry per field, as the CLI's `validate` prints them.",
        querystring: RunQuery,
        body: {
          content: {
            "application/json": { schema: RunRequest },
            ...Object.fromEntries(YAML_TYPES.map((type) => [type, { schema: ScenarioYaml }])),
          },
        },
        response: { 202: RunView, ...errors(400, 401, 413, 415, 429, 503) },
      },
      config: {
        // The docs show the scenario schema inside the envelope; validation leaves it to the parser.
        swaggerTransform: ({ schema, url }) => ({
          schema: {
            ...schema,
            body: {
              content: {
                "application/json": { schema: RunRequestDoc },
                ...Object.fromEntries(YAML_TYPES.map((type) => [type, { schema: ScenarioYaml }])),
              },
            },
          },
          url,
        }),
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      let input: RunInput;
      if (typeof body === "string") input = scenarioFromText(body, BODY_FILE_NAME, request.query.seed);
      else if (Value.Check(RunRequest, body)) input = fromEnvelope(body, request.query.seed, catalogue);
      else throw apiError("HINTMIG_INVALID_REQUEST", { detail: "the body is not a run request" });
      checkLimits(input.configs, limits);
      const run = await service.submit(input);
      return reply.code(202).header("location", run.links.self).send(run);
    },
  );

  api.get(
    "/runs",
    {
      schema: {
        tags: ["runs"],
        summary: "List runs, newest first",
        querystring: RunListQuery,
        response: { 200: RunPage, ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 20;
      const page = service.page(limit, request.query.before ?? null);
      return {
        runs: page.runs,
        next: page.next === null ? null : `/runs?limit=${limit}&before=${page.next}`,
      };
    },
  );

  // Untyped reply: the body is assembled as text (see below), which the typed reply would refuse.
  app.get<{ Params: RunParams }>(
    "/runs/:id",
    {
      schema: {
        tags: ["runs"],
        summary: "A run: status, progress, and its result once it has one",
        params: RunParams,
        response: { 200: RunDetail, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const id = checkedId(request.params.id);
      const view = service.view(id);
      const result = await service.resultText(id);
      // result.json is spliced in as it is on disk: no parse and re-serialize of a large document.
      const text = JSON.stringify(view);
      const payload = result === null ? text : `${text.slice(0, -1)},"result":${result.trimEnd()}}`;
      return reply.type("application/json; charset=utf-8").send(payload);
    },
  );

  app.get<{ Params: RunParams }>(
    "/runs/:id/events",
    {
      sse: "only",
      schema: {
        tags: ["runs"],
        summary: "Follow a run as server-sent events",
        description:
          "Events: queued, started, variant, pass (each new pass), progress (throttled), postcopy (the " +
          "switch), then one of completed, failed, cancelled, after which the stream ends. Data is JSON. " +
          "A client that connects late gets the run's events so far first; `Last-Event-ID` resumes.",
        params: RunParams,
        response: {
          200: {
            description: "text/event-stream",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...errors(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const id = checkedId(request.params.id);
      const source = service.events(id);
      const lastId = Number(reply.sse.lastEventId ?? "0");
      const afterId = Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0;
      const toMessage = (event: RunEvent) => ({ id: String(event.id), event: event.event, data: event.data });
      if (Array.isArray(source)) {
        for (const event of source) if (event.id > afterId) await reply.sse.send(toMessage(event));
        return;
      }
      const log = source;
      const gone = new AbortController();
      reply.sse.onClose(() => gone.abort());
      async function* messages() {
        for await (const event of eventStream(log, afterId, gone.signal)) yield toMessage(event);
      }
      await reply.sse.send(messages());
    },
  );

  api.get(
    "/runs/:id/report",
    {
      schema: {
        tags: ["runs"],
        summary: "A run's HTML report",
        description: "Self-contained HTML, served with the Content-Security-Policy its own <meta> declares.",
        params: RunParams,
        response: {
          200: { description: "text/html", content: { "text/html": { schema: { type: "string" } } } },
          ...errors(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const id = checkedId(request.params.id);
      const html = await service.report(id);
      return reply
        .header("content-security-policy", reportCsp(html))
        .type("text/html; charset=utf-8")
        .send(html);
    },
  );

  api.delete(
    "/runs/:id",
    {
      schema: {
        tags: ["runs"],
        summary: "Cancel a run (migrate_cancel)",
        description:
          "A queued run is cancelled at once (200). A running one is asked to stop (202): the core stops at " +
          "its next step, the variants still running end as cancelled, and the run's events end with " +
          "`cancelled`. An ended run cannot be cancelled (409).",
        params: RunParams,
        response: { 200: RunView, 202: RunView, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const id = checkedId(request.params.id);
      const { ended, run } = service.cancel(id);
      return reply.code(ended ? 200 : 202).send(run);
    },
  );
}
