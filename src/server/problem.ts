import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorCode, GromptError, errorCatalog, isGromptError, toGromptError } from "../core/domain/errors";
import type { LoggerPort } from "../core/ports/logger-port";

export const problemContentType = "application/problem+json; charset=utf-8";

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  hint?: string;
  instance?: string;
  requestId?: string;
  limit?: string;
  retryAfterSeconds?: number;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

/** Facts from an error's details that are safe and useful to a client (never paths, causes or secrets). */
const publicDetails = ["limit", "limitUsd", "spentUsd", "limitTokens", "usedTokens", "field", "allowed", "jobId", "maxQueuedJobs", "queued"] as const;

/**
 * RFC 9457 problem details carrying grompt's error code. Server errors (5xx) say only what kind
 * of failure happened: the message, hint and details, which may name files on the daemon's machine,
 * stay in the log under the request id.
 */
export function toProblem(error: GromptError, context: { instance?: string; requestId?: string; status?: number } = {}): Problem {
  const status = context.status ?? error.httpStatus;
  const title = errorCatalog[error.code].title;
  const problem: Problem = { type: `urn:grompt:error:${error.code}`, title, status, code: error.code, detail: status >= 500 ? `${title}.` : error.message };
  if (status < 500) {
    if (error.hint !== undefined) problem.hint = error.hint;
    for (const key of publicDetails) if (error.details?.[key] !== undefined) (problem as Record<string, unknown>)[key] = error.details[key];
    if (Array.isArray(error.details?.errors)) problem.errors = error.details.errors as Problem["errors"];
  }
  // How long to wait is never a secret, whatever the status.
  const retryAfterMs = error.details?.retryAfterMs;
  if (typeof retryAfterMs === "number") problem.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (context.instance !== undefined) problem.instance = context.instance;
  if (context.requestId !== undefined) problem.requestId = context.requestId;
  return problem;
}

/** Sends a problem (with Retry-After when it names a wait). */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfterSeconds !== undefined && !reply.hasHeader("retry-after")) reply.header("retry-after", String(problem.retryAfterSeconds));
  return reply.code(problem.status).type(problemContentType).send(problem);
}

/** The HTTP edge's one error handler: whatever was thrown becomes a problem with a registered code. */
export function problemErrorHandler(logger: LoggerPort) {
  return (thrown: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const classified = classify(thrown);
    const { error } = classified;
    const status = classified.status ?? error.httpStatus;
    const problem = toProblem(error, { instance: request.url.split("?")[0], requestId: request.id, status });
    request.failure = { code: error.code, detail: error.message };
    // The request's own log line (observe-requests.ts) says it was refused; a server error gets its cause here.
    if (status >= 500) logger.error({ request_id: request.id, code: error.code, err: isGromptError(thrown) ? (thrown.cause ?? thrown) : thrown }, error.message);
    return sendProblem(reply, problem);
  };
}

/** Maps fastify's own errors (validation, body parsing, size) and anything else onto grompt's codes. */
function classify(thrown: FastifyError | Error): { error: GromptError; status?: number } {
  if (isGromptError(thrown)) return { error: thrown };
  const fastifyError = thrown as FastifyError;
  if (Array.isArray(fastifyError.validation)) {
    const errors = fastifyError.validation.map((issue) => {
      const extra = issue.params as Record<string, unknown>;
      const named = typeof extra.additionalProperty === "string" ? `: ${JSON.stringify(extra.additionalProperty)}` : "";
      return { path: `${fastifyError.validationContext ?? "request"}${issue.instancePath}`, message: `${issue.message ?? "is not valid"}${named}` };
    });
    const detail = errors.map((issue) => `${issue.path} ${issue.message}`).join("; ");
    return { error: new GromptError("invalid_input", detail, { hint: "See GET /v1/openapi.json for the request's schema.", details: { errors } }) };
  }
  const status = fastifyError.statusCode;
  if (status === 413) return { error: new GromptError("payload_too_large", fastifyError.message) };
  if (status === 415) return { error: new GromptError("invalid_input", fastifyError.message, { hint: "Send JSON with Content-Type: application/json." }), status: 415 };
  if (status === 404) return { error: new GromptError("not_found", fastifyError.message) };
  if (status !== undefined && status >= 400 && status < 500) return { error: new GromptError("invalid_input", fastifyError.message), status };
  return { error: toGromptError(thrown) };
}
