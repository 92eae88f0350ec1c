import type { QueuePort } from "../../core/ports/queue-port";
import type { JobSignals } from "./job-signals";

/**
 * A transactional outbox between the store and the queue. The job's row, committed before its
 * creation is answered, is the record that the job exists and must run; its spool entry is only
 * the runner's work list, so it is written after the answer, for all the jobs of one turn of the
 * event loop at once, off the main thread where the queue can (the file spool's worker thread).
 *
 * Nothing is lost in between: an entry that fails is tried again (1 s, doubling up to 30 s), and a
 * process that dies first leaves queued jobs without an entry, which the next runner's start-up
 * reconciliation (src/app/runner/reconcile-queue.ts) enqueues — once: the spool refuses a second
 * live entry for a job, and a runner that claims a stray entry of a job already ended drops it.
 */
export interface JobOutbox {
  /** A job just committed in state `queued`: it is put on the queue soon, with the others of this turn. */
  add(jobId: string, priority: number): void;
  /** Resolves once every job added so far is on the queue or was tried (failures are retried now rather than later). */
  flush(): Promise<void>;
}

export interface JobOutboxDeps {
  queue: () => QueuePort;
  /** Told of each job once its entry is written (the runner claims it then). */
  signals: Pick<JobSignals, "enqueued">;
  /** Entries that could not be written (they are retried). */
  onError?: (error: Error, jobIds: string[]) => void;
  /** The first retry delay (ms, default 1000); it doubles up to 30 times it. */
  retryMs?: number;
}

type Entry = { jobId: string; priority: number };

export function createJobOutbox(deps: JobOutboxDeps): JobOutbox {
  const firstRetryMs = deps.retryMs ?? 1_000;
  let pending: Entry[] = [];
  let failed: Entry[] = [];
  let scheduled = false;
  let retryMs = firstRetryMs;
  let retryTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  const enqueueAll = (queue: QueuePort, batch: Entry[]): Promise<(Error | undefined)[]> =>
    queue.enqueueMany?.(batch) ??
    Promise.all(batch.map((entry) => queue.enqueue(entry.jobId, { priority: entry.priority }).then(() => undefined, (error: unknown) => error as Error)));

  const send = (batch: Entry[]): void => {
    if (batch.length === 0) return;
    const written = Promise.resolve()
      .then(() => enqueueAll(deps.queue(), batch))
      .then(
        (outcomes) => {
          const missed = batch.filter((_, index) => outcomes[index] !== undefined);
          batch.forEach((entry, index) => {
            if (outcomes[index] === undefined) deps.signals.enqueued(entry.jobId);
          });
          if (missed.length === 0) {
            if (failed.length === 0) retryMs = firstRetryMs;
            return;
          }
          deps.onError?.(outcomes.find((outcome) => outcome !== undefined) as Error, missed.map((entry) => entry.jobId));
          retryLater(missed);
        },
        (error: unknown) => {
          deps.onError?.(error as Error, batch.map((entry) => entry.jobId));
          retryLater(batch);
        },
      )
      .finally(() => inFlight.delete(written));
    inFlight.add(written);
  };

  const retryLater = (entries: Entry[]): void => {
    failed.push(...entries);
    if (retryTimer !== undefined) return;
    retryTimer = setTimeout(retryNow, retryMs);
    // A process that ends meanwhile loses nothing: the jobs are in the store, reconciliation requeues them.
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, 30 * firstRetryMs);
  };
  const retryNow = (): void => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const batch = failed;
    failed = [];
    send(batch);
  };

  const sendPending = (): void => {
    scheduled = false;
    const batch = pending;
    pending = [];
    send(batch);
  };

  return {
    add(jobId, priority) {
      pending.push({ jobId, priority });
      if (scheduled) return;
      scheduled = true;
      // After the poll phase: every job committed in this turn is in the batch by then.
      setImmediate(sendPending);
    },
    async flush() {
      if (pending.length > 0) sendPending();
      if (failed.length > 0) retryNow();
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
