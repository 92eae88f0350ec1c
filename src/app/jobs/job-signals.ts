import { EventEmitter } from "node:events";
import type { JobEventRecord } from "../../core/domain/job-events";

/**
 * In-process notifications between use cases, the runner and event followers, so nothing waits
 * for a poll when the news comes from the same process. Other processes learn the same facts from
 * the store and the spool, at their next poll or heartbeat.
 */
export interface JobSignals {
  /** A job was put on the queue. */
  enqueued(jobId: string): void;
  /** Someone asked to cancel a job. */
  cancelRequested(jobId: string): void;
  /** New events were stored for a job; `records`, when given, are exactly what was committed (followers need not read them back). */
  eventsAppended(jobId: string, records?: readonly JobEventRecord[]): void;
  /** Subscribes to one kind of signal; returns the unsubscribe function. */
  on(kind: "enqueued" | "cancel-requested" | "events-appended", listener: (jobId: string, records?: readonly JobEventRecord[]) => void): () => void;
}

export function createJobSignals(): JobSignals {
  const emitter = new EventEmitter();
  // Every follower of a job's stream subscribes; many at once is normal for the daemon.
  emitter.setMaxListeners(0);
  return {
    enqueued: (jobId) => emitter.emit("enqueued", jobId),
    cancelRequested: (jobId) => emitter.emit("cancel-requested", jobId),
    eventsAppended: (jobId, records) => emitter.emit("events-appended", jobId, records),
    on(kind, listener) {
      emitter.on(kind, listener);
      return () => emitter.off(kind, listener);
    },
  };
}
