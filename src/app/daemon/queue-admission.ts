import { GromptError } from "../../core/domain/errors";

/** How long a count of the queued jobs is trusted (plus the jobs created since). */
const recountMs = 250;

export interface QueueAdmission {
  /** Refuses with `queue_full` (429, Retry-After) while `max` jobs or more wait to start. */
  admit(): Promise<void>;
  /** A job was created: it waits too, until the next count says otherwise. */
  created(): void;
}

/**
 * Bounds the backlog: a submission is refused while `max` jobs or more wait to start, so a flood
 * meets a clear 429 (as every other limit answers) instead of a queue that grows without end.
 * The store's count (over the state index) plus the jobs created since is an upper bound of the
 * backlog — jobs started since are not subtracted — so while it stays under `max` nothing is
 * counted; once it reaches `max` the store is counted again, at most every 250 ms, before refusing.
 * A burst cannot overshoot, and a backlog of 50,000 jobs is not counted on every request.
 */
export function createQueueAdmission(deps: { countQueued: () => Promise<number>; max: number; now?: () => number }): QueueAdmission {
  const now = deps.now ?? (() => performance.now());
  let counted = 0;
  let countedAt = Number.NEGATIVE_INFINITY;
  let createdSince = 0;
  let counting: Promise<void> | undefined;
  const recount = () =>
    (counting ??= deps
      .countQueued()
      .then((queued) => {
        counted = queued;
        countedAt = now();
        createdSince = 0;
      })
      .finally(() => (counting = undefined)));
  return {
    async admit() {
      if (countedAt === Number.NEGATIVE_INFINITY) await recount();
      if (counted + createdSince < deps.max) return;
      if (now() - countedAt >= recountMs) await recount();
      const queued = counted + createdSince;
      if (queued < deps.max) return;
      throw new GromptError("queue_full", `${queued} jobs are waiting to start; this daemon takes new ones once fewer than ${deps.max} wait`, {
        hint: "Retry after the Retry-After delay, or raise server.maxQueuedJobs.",
        details: { limit: "server.maxQueuedJobs", maxQueuedJobs: deps.max, queued, retryAfterMs: 1_000 },
      });
    },
    created() {
      createdSince += 1;
    },
  };
}
