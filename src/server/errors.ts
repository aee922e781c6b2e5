// Every error the API answers with, in one registry: a stable code (clients branch on it), an HTTP status
// and a message template whose {placeholders} are filled per error. Routes throw `apiError(KEY, params)`;
// the error handler (error-handler.ts) turns that, and fastify's own errors, into one body shape.

/** One place in a request that is wrong: a field path, what is wrong, and for scenario text a position. */
export interface ProblemItem {
  /** Dotted path into the body, query or scenario (`guest.memory`, `seed`); "" for the whole input. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

interface ErrorDef {
  code: string;
  status: number;
  message: string;
}

export const ERRORS = {
  HINTMIG_INVALID_REQUEST: {
    code: "HINTMIG_INVALID_REQUEST",
    status: 400,
    message: "{detail}",
  },
  HINTMIG_INVALID_JSON: {
    code: "HINTMIG_INVALID_JSON",
    status: 400,
    message: "the body is not valid JSON: {detail}",
  },
  HINTMIG_INVALID_SCENARIO: {
    code: "HINTMIG_INVALID_SCENARIO",
    status: 400,
    message: "the scenario does not validate ({count} problem(s)): {first}",
  },
  HINTMIG_UNKNOWN_SCENARIO: {
    code: "HINTMIG_UNKNOWN_SCENARIO",
    status: 400,
    message: "no bundled scenario is named {name} (GET /scenarios lists them)",
  },
  HINTMIG_OVER_LIMIT: {
    code: "HINTMIG_OVER_LIMIT",
    status: 400,
    message: "the scenario is over this server's limits: {first}",
  },
  HINTMIG_INVALID_RUN_ID: {
    code: "HINTMIG_INVALID_RUN_ID",
    status: 400,
    message: "{id} is not a run id (expected <scenario>-<yyyymmdd>-<hhmmss>-<hex>)",
  },
  HINTMIG_UNAUTHORIZED: {
    code: "HINTMIG_UNAUTHORIZED",
    status: 401,
    message: "this server requires the header `Authorization: Bearer <token>` with its token",
  },
  HINTMIG_NOT_FOUND: {
    code: "HINTMIG_NOT_FOUND",
    status: 404,
    message: "no route {method} {url}",
  },
  HINTMIG_RUN_NOT_FOUND: {
    code: "HINTMIG_RUN_NOT_FOUND",
    status: 404,
    message: "no run {id}",
  },
  HINTMIG_REPORT_NOT_FOUND: {
    code: "HINTMIG_REPORT_NOT_FOUND",
    status: 404,
    message: "run {id} has no report: {reason}",
  },
  HINTMIG_REPORT_NOT_READY: {
    code: "HINTMIG_REPORT_NOT_READY",
    status: 409,
    message: "run {id} is {state}; its report is written when it ends",
  },
  HINTMIG_RUN_FINISHED: {
    code: "HINTMIG_RUN_FINISHED",
    status: 409,
    message: "run {id} has already ended ({state}); there is nothing to cancel",
  },
  HINTMIG_BODY_TOO_LARGE: {
    code: "HINTMIG_BODY_TOO_LARGE",
    status: 413,
    message: "the body is larger than this server's limit of {limit} bytes",
  },
  HINTMIG_UNSUPPORTED_MEDIA_TYPE: {
    code: "HINTMIG_UNSUPPORTED_MEDIA_TYPE",
    status: 415,
    message: "content type {type} is not accepted here; send application/json or application/yaml",
  },
  HINTMIG_QUEUE_FULL: {
    code: "HINTMIG_QUEUE_FULL",
    status: 429,
    message: "{queued} runs are already waiting, as many as this server queues; retry in {seconds} s",
  },
  HINTMIG_INTERNAL: {
    code: "HINTMIG_INTERNAL",
    status: 500,
    message: "internal error: {detail}",
  },
  HINTMIG_SHUTTING_DOWN: {
    code: "HINTMIG_SHUTTING_DOWN",
    status: 503,
    message: "the server is shutting down and takes no new runs",
  },
} as const satisfies Record<string, ErrorDef>;

export type ErrorKey = keyof typeof ERRORS;

/** The names between braces in a template: "no run {id}" → "id". */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

export type ErrorParams<K extends ErrorKey> = Record<
  Placeholders<(typeof ERRORS)[K]["message"]>,
  string | number
>;

export class ApiError extends Error {
  override name = "ApiError";
  readonly code: ErrorKey;
  readonly statusCode: number;
  readonly problems: readonly ProblemItem[];
  /** Extra response headers (Retry-After, WWW-Authenticate). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    key: ErrorKey,
    message: string,
    problems: readonly ProblemItem[],
    headers: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.code = key;
    this.statusCode = ERRORS[key].status;
    this.problems = problems;
    this.headers = headers;
  }
}

/** Fills a template; a placeholder without a value stays visible rather than turning into "undefined". */
export function formatMessage(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function apiError<K extends ErrorKey>(
  key: K,
  params: ErrorParams<K>,
  extra: { problems?: readonly ProblemItem[]; headers?: Readonly<Record<string, string>> } = {},
): ApiError {
  const message = formatMessage(ERRORS[key].message, params);
  return new ApiError(key, message, extra.problems ?? [], extra.headers ?? {});
}
