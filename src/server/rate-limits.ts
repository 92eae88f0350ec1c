import type { RateLimitOptions } from "@fastify/rate-limit";
import { GromptError } from "../core/domain/errors";

export type RateLimitConfig = RateLimitOptions;

/**
 * Jobs (and provider tests) per minute per token, with @fastify/rate-limit: one shared window for
 * every route of the group, keyed by the token's scope, refused with a problem naming the limit
 * (the plugin sets Retry-After and the X-RateLimit-* headers).
 */
export function perTokenLimit(input: { group: string; max: number; scope: string; what: string }): RateLimitConfig {
  return {
    max: input.max,
    timeWindow: 60_000,
    groupId: input.group,
    keyGenerator: () => input.scope,
    errorResponseBuilder: (_request, context) =>
      new GromptError("rate_limit_exceeded", `Too many ${input.what}: at most ${context.max} per minute for this token`, {
        hint: `Wait ${context.after}, or raise server.jobsPerMinute.`,
        details: { limit: "server.jobsPerMinute", limitPerMinute: context.max, retryAfterMs: context.ttl },
      }),
  };
}
