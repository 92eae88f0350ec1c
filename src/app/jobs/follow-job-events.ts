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
  // Records this process just committed, handed over by the signal: relayed without reading them
  // back. Bounded: a follower that is not reading (a slow SSE client) falls back to the store.
  let handed: JobEventRecord[] = [];
  const unsubscribe = deps.signals.on("events-appended", (id, records) => {
    if (id !== jobId) return;
    if (records !== undefined && handed.length + records.length <= maxHanded) handed.push(...records);
    else handed = [];
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener("abort", onAbort);
  try {
    while (options.signal?.aborted !== true) {
      const fresh = takeNext(handed, afterSeq);
      handed = fresh.rest;
      const batch = fresh.next.length > 0 ? fresh.next : await deps.store.listEvents(jobId, { afterSeq, limit: 500 });
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

const maxHanded = 64;

/** The handed-over records that follow `afterSeq` without a gap (a gap means another writer: read the store). */
function takeNext(handed: JobEventRecord[], afterSeq: number): { next: JobEventRecord[]; rest: JobEventRecord[] } {
  const unseen = handed.filter((record) => record.seq > afterSeq);
  let end = 0;
  while (end < unseen.length && unseen[end]?.seq === afterSeq + end + 1) end += 1;
  return end === 0 ? { next: [], rest: unseen } : { next: unseen.slice(0, end), rest: unseen.slice(end) };
}
