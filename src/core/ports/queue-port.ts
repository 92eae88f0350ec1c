import type { PromptPurpose } from "../domain/job";

/** Craft jobs are short and interactive, so they go before refactors; then first in, first out. */
export const priorityFor = (purpose: PromptPurpose): number => (purpose === "craft" ? 0 : 1);

export interface QueueEntry {
  jobId: string;
  /** Lower runs first. */
  priority: number;
  enqueuedAt: string;
  /** Failed attempts so far. */
  attempts: number;
  /** Not claimable before this instant (backoff). */
  notBefore?: string;
  lastError?: string;
}

export interface QueueLease {
  entry: QueueEntry;
  workerId: string;
  /** Identifies this claim; a lease renewed or released with a stale id is rejected. */
  leaseId: string;
  expiresAt: string;
}

export interface QueueStats {
  ready: number;
  delayed: number;
  leased: number;
  dead: number;
}

export interface QueuePort {
  /** Durably adds a job; enqueueing a job already waiting or leased is a no-op. */
  enqueue(jobId: string, options: { priority: number; notBefore?: string }): Promise<void>;
  /**
   * Adds jobs as `enqueue` does each, off the calling thread where the queue can (the file spool:
   * on a worker thread, in one batch). Resolves with one outcome per job, in order: undefined once
   * it is durably queued (or already was), its error otherwise.
   */
  enqueueMany?(entries: readonly { jobId: string; priority: number }[]): Promise<(Error | undefined)[]>;
  /** Claims the highest-priority ready entry, or undefined when none is ready. */
  claim(workerId: string, leaseMs: number): Promise<QueueLease | undefined>;
  /** Extends a lease; throws `lease_lost` if the lease expired and was taken by someone else. */
  heartbeat(lease: QueueLease, leaseMs: number): Promise<QueueLease>;
  /** The job is finished (done or error): the entry is removed. */
  complete(lease: QueueLease): Promise<void>;
  /** Hands the entry back untouched (graceful shutdown); it does not count as an attempt. */
  release(lease: QueueLease): Promise<void>;
  /** Counts a failed attempt: back to ready after a backoff, or to the dead letter after the last. */
  fail(lease: QueueLease, reason: string): Promise<"retry" | "dead">;
  /** Returns expired leases to ready; returns how many. */
  reclaimExpired(): Promise<number>;
  /** True when the job waits, is delayed or is leased. */
  has(jobId: string): Promise<boolean>;
  /** Removes a waiting entry (a queued job was canceled); leased entries are left to their worker. */
  remove(jobId: string): Promise<boolean>;
  /** Counts per place. */
  stats(): Promise<QueueStats>;
}
