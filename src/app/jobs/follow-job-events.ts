import { isFinalEvent } from "../../core/domain/job-events";
import type { JobEventRecord } from "../../core/domain/job-events";
import type { StorePort } from "../../core/ports/store-port";
import type { JobSignals } from "./job-signals";
import { requireJob } from "./require-job";

export interface FollowOptions {
  /** Start after this seq (SSE Last-Event-ID); from the first event when absent. */
  afterSeq?: number;
  /** Stops following (client went away, Ctrl-C). */
  signal?: AbortSignal;
  /** How often to look for events written by other processes (ms, default 250). */
  pollMs?: number;
}

/**
 * A job's events in seq order: the stored ones, then new ones as they arrive, ending after the
 * final event (`job-completed` / `job-failed`). Events from this process arrive without polling.
 */
export async function* followJobEvents(
  jobId: string,
  options: FollowOptions,
  deps: { store: StorePort; signals: JobSignals },
): AsyncGenerator<JobEventRecord> {
  await requireJob(jobId, deps.store);
  let afterSeq = options.afterSeq ?? 0;
  let wake: (() => void) | undefined;
  const unsubscribe = deps.signals.on("events-appended", (id) => {
    if (id === jobId) wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort);
  try {
    while (options.signal?.aborted !== true) {
      const batch = await deps.store.listEvents(jobId, { afterSeq, limit: 500 });
      for (const record of batch) {
        afterSeq = record.seq;
        yield record;
        if (isFinalEvent(record.event)) return;
      }
      if (batch.length > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 250);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener("abort", onAbort);
  }
}
