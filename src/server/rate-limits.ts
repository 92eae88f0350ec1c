import type { FastifyInstance, FastifyRequest } from "fastify";
import { GromptError } from "../core/domain/errors";

/** An onRequest hook that counts the request in its window and refuses it past the limit. */
export type RateLimitHook = ReturnType<FastifyInstance["rateLimit"]>;

/**
 * Jobs (and provider tests) per minute per token, with @fastify/rate-limit. One limiter per group,
 * used as the onRequest hook of each of its routes, so they share one window (the plugin's own
 * per-route configuration would give each route a window of its own). Keyed by the token's scope;
 * refused with a problem naming the limit, after the plugin set Retry-After and X-RateLimit-*.
 */
export function perTokenLimit(
  app: FastifyInstance,
  input: { max: number; scope: string; what: string; isReplay?: (request: FastifyRequest) => Promise<boolean> },
): RateLimitHook {
  const { isReplay } = input;
  return app.rateLimit({
    max: input.max,
    timeWindow: 60_000,
    keyGenerator: () => input.scope,
    // A retry with a known Idempotency-Key is answered from the store: it starts no new work.
    ...(isReplay === undefined ? {} : { allowList: (request: FastifyRequest) => isReplay(request) }),
    errorResponseBuilder: (_request, context) =>
      new GromptError("rate_limit_exceeded", `Too many ${input.what}: at most ${context.max} per minute for this token`, {
        hint: `Wait ${context.after}, or raise server.jobsPerMinute.`,
        details: { limit: "server.jobsPerMinute", limitPerMinute: context.max, retryAfterMs: context.ttl },
      }),
  });
}
