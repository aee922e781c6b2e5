// The HTTP API as a fastify instance: plugins, body parsers, the token check, the error handler, the
// OpenAPI document and the routes. Nothing here listens (main.ts does), so tests drive it with inject().

import { fastifySSE } from "@fastify/sse";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { bearerCheck, isPublicPath } from "./auth.ts";
import { type Catalogue, loadCatalogue } from "./bundled-scenarios.ts";
import type { ServerConfig } from "./config.ts";
import { errorBody, errorHandler } from "./error-handler.ts";
import { apiError } from "./errors.ts";
import { HOME_CSP, renderHome } from "./home.ts";
import { runRoutes, YAML_TYPES } from "./routes-runs.ts";
import { QUEUE_DEFAULTS, type QueueOptions } from "./run-queue.ts";
import { type Log, RunService } from "./run-service.ts";
import { RunStore } from "./run-store.ts";
import { ErrorBody, Health, ScenarioList } from "./schemas.ts";
import { piscinaRunner, type TaskRunner } from "./task-runner.ts";

export interface AppOptions {
  config: ServerConfig;
  /** Where runs execute; a worker-thread pool sized by `config.threads` unless given. */
  runner?: TaskRunner;
  /** Stop grace and start allowance of the queue; defaults in run-queue.ts. */
  queue?: Partial<Pick<QueueOptions, "stopGraceMs" | "startAllowanceMs">>;
  logger?: FastifyServerOptions["logger"];
}

/** SSE comment lines this often keep proxies and idle timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const VERSION = "0.1.0";

function logOf(app: FastifyInstance): Log {
  return {
    info: (message) => app.log.info(message),
    warn: (message) => app.log.warn(message),
    error: (message) => app.log.error(message),
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.limits.bodyLimitBytes,
    // Per-request lines would drown the run log under load; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // SSE streams are long-lived; on close they end with their runs, anything else idle is cut.
    forceCloseConnections: "idle",
    // Requests are checked by TypeBox (below); any schema still compiled by fastify's AJV must not have
    // unknown fields stripped either.
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: {
      // The only path parameter is a run id; one too long for the router is refused like any bad id.
      onMaxParamLength: (_path, _req, res) => {
        const error = apiError("HINTMIG_INVALID_RUN_ID", { id: "(too long)" });
        res.writeHead(error.statusCode, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(errorBody(error)));
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox checks requests (the engine the scenario parser uses): unknown fields are errors, never
  // silently dropped, and body values are never coerced ("42" is not a seed); query strings are converted.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setErrorHandler(errorHandler(config.limits.bodyLimitBytes));
  app.setNotFoundHandler((request) => {
    throw apiError("HINTMIG_NOT_FOUND", { method: request.method, url: request.url.split("?")[0] ?? "" });
  });

  // Only JSON and YAML are read: a text/plain body is refused (415) rather than taken for YAML.
  app.removeContentTypeParser("text/plain");
  // JSON bodies: the stock parser says only "invalid JSON"; this one says where.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") {
      done(apiError("HINTMIG_INVALID_JSON", { detail: "the body is empty" }), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(apiError("HINTMIG_INVALID_JSON", { detail: (error as Error).message }), undefined);
    }
  });
  app.addContentTypeParser([...YAML_TYPES], { parseAs: "string" }, (_request, body, done) => {
    done(null, String(body));
  });

  if (config.token !== null) {
    const check = bearerCheck(config.token);
    app.addHook("onRequest", async (request) => {
      const route = request.routeOptions.url;
      if (route !== undefined && isPublicPath(route)) return;
      if (!check(request.headers.authorization)) {
        throw apiError(
          "HINTMIG_UNAUTHORIZED",
          {},
          { headers: { "www-authenticate": 'Bearer realm="hintmig"' } },
        );
      }
    });
  }
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "hintmig",
        version: VERSION,
        description: "Start VM live-migration simulations, follow them, read their results and reports.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      ...(config.token === null ? {} : { security: [{ bearer: [] }] }),
      tags: [
        { name: "runs", description: "Simulation runs" },
        { name: "server", description: "Scenarios, health, pages" },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  await app.register(fastifySSE, { heartbeatInterval: HEARTBEAT_MS });

  const catalogue: Catalogue = loadCatalogue(config.scenariosDir);
  for (const problem of catalogue.skipped) app.log.warn(`scenarios: skipped ${problem}`);
  const service = await RunService.start({
    store: new RunStore(config.reportsDir),
    runner: options.runner ?? piscinaRunner({ threads: config.threads, workerHeapMb: config.workerHeapMb }),
    queue: {
      maxQueued: config.limits.maxQueued,
      wallTimeMs: config.limits.wallTimeMs,
      stopGraceMs: options.queue?.stopGraceMs ?? QUEUE_DEFAULTS.stopGraceMs,
      startAllowanceMs: options.queue?.startAllowanceMs ?? QUEUE_DEFAULTS.startAllowanceMs,
    },
    log: logOf(app),
  });
  // Before connections are closed: ending the runs ends their event streams.
  app.addHook("preClose", () => service.shutdown());

  await app.register(runRoutes, { service, catalogue, limits: config.limits });

  app.get(
    "/scenarios",
    {
      schema: {
        tags: ["server"],
        summary: "The bundled scenarios, startable by name",
        response: { 200: ScenarioList, 401: ErrorBody },
      },
    },
    async () => ({ scenarios: catalogue.list }),
  );

  app.get(
    "/healthz",
    { schema: { tags: ["server"], summary: "Liveness and queue depth", response: { 200: Health } } },
    async () => ({
      status: "ok" as const,
      queued: service.queued,
      running: service.running,
      threads: service.threads,
      runs: service.size,
    }),
  );

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // Browsers ask for it on every page; an empty answer keeps 404s out of their consoles.
  app.get("/favicon.ico", { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());

  const home = renderHome({ authRequired: config.token !== null });
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply.header("content-security-policy", HOME_CSP).type("text/html; charset=utf-8").send(home),
  );

  return app;
}
