// Every error answer in one shape (ErrorBody): the registry's ApiErrors as they are, fastify's own errors
// (validation, body size, media type, JSON syntax) translated to registry codes with the field named, and
// anything else as a 500 whose details go to the log, not to the client.

import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, apiError, type ProblemItem } from "./errors.ts";
import type { ErrorBody } from "./schemas.ts";

interface ValidationIssue {
  instancePath?: string;
  schemaPath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** "/scenario/guest/0" → "scenario.guest[0]", under the part of the request it is in. */
function dottedPath(context: string, pointer: string, extra?: string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) segments.push(extra);
  let out = context === "body" ? "" : context;
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** The names a schema keyword's params point at (an unknown or a missing property), if any. */
function namedProperties(issue: ValidationIssue): string[] {
  const params = issue.params ?? {};
  for (const key of ["additionalProperties", "requiredProperties", "missingProperty", "additionalProperty"]) {
    const value = params[key];
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  }
  return [];
}

function validationProblems(context: string, issues: readonly ValidationIssue[]): ProblemItem[] {
  const problems: ProblemItem[] = [];
  for (const issue of issues) {
    // TypeBox reports an unknown field twice: as the false schema it met, and as the object's
    // additionalProperties failure; the second names the field, so the first adds nothing.
    if (issue.keyword === "boolean" && issue.schemaPath?.endsWith("/additionalProperties")) continue;
    const pointer = issue.instancePath ?? "";
    const names = namedProperties(issue);
    const unknown = issue.keyword === "additionalProperties";
    const required = issue.keyword === "required";
    if ((unknown || required) && names.length > 0) {
      for (const name of names) {
        problems.push({
          path: dottedPath(context, pointer, name),
          message: unknown ? "unknown field" : "required field missing",
        });
      }
    } else {
      problems.push({ path: dottedPath(context, pointer), message: issue.message ?? "invalid" });
    }
  }
  return problems;
}

/** What of the request an error message may name. */
export interface ErrorContext {
  bodyLimit: number;
  contentType: string | undefined;
}

/** The registry error a fastify error stands for. */
export function toApiError(error: FastifyError, context: ErrorContext): ApiError {
  if (error instanceof ApiError) return error;
  if (Array.isArray(error.validation)) {
    const problems = validationProblems(error.validationContext ?? "body", error.validation);
    const detail = problems.map((problem) => `${problem.path || "(root)"}: ${problem.message}`).join("; ");
    return apiError("HINTMIG_INVALID_REQUEST", { detail }, { problems });
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return apiError("HINTMIG_BODY_TOO_LARGE", { limit: context.bodyLimit });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return apiError("HINTMIG_UNSUPPORTED_MEDIA_TYPE", { type: context.contentType ?? "(none)" });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return apiError("HINTMIG_INVALID_JSON", { detail: "the body is empty" });
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return apiError("HINTMIG_INVALID_JSON", { detail: "syntax error" });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return apiError("HINTMIG_INVALID_REQUEST", { detail: error.message });
  return apiError("HINTMIG_INTERNAL", { detail: "see the server log" });
}

export function errorBody(error: ApiError): ErrorBody {
  return {
    statusCode: error.statusCode,
    code: error.code,
    error: STATUS_CODES[error.statusCode] ?? "Error",
    message: error.message,
    ...(error.problems.length > 0 ? { problems: [...error.problems] } : {}),
  };
}

export function errorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const apiErr = toApiError(error, { bodyLimit, contentType: request.headers["content-type"] });
    if (apiErr.statusCode >= 500) request.log.error({ err: error }, "request failed");
    reply.headers(apiErr.headers);
    return reply.code(apiErr.statusCode).type("application/json").send(errorBody(apiErr));
  };
}
