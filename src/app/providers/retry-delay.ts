export interface RetryDelayInput {
  /** The attempt that just failed, from 1. */
  attempt: number;
  /** What the server asked for (Retry-After / retry-after-ms / RetryInfo), if anything. */
  retryAfterMs?: number;
  /** First backoff step; doubles with each attempt. */
  baseDelayMs: number;
  /** Upper bound for any wait, honoured Retry-After included. */
  maxRetryDelayMs: number;
  /** [0, 1) */
  random: () => number;
}

/**
 * How long to wait before the next attempt: the server's Retry-After when it gave one (capped),
 * otherwise exponential backoff with "equal jitter" — half the step fixed, half random — so
 * clients that failed together do not retry together.
 */
export function retryDelay(input: RetryDelayInput): number {
  if (input.retryAfterMs !== undefined) return Math.max(0, Math.min(input.retryAfterMs, input.maxRetryDelayMs));
  const step = input.baseDelayMs * 2 ** Math.max(0, input.attempt - 1);
  const jittered = step / 2 + (step / 2) * input.random();
  return Math.round(Math.min(jittered, input.maxRetryDelayMs));
}
