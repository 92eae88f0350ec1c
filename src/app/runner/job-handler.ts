import type { Job, JobState } from "../../core/domain/job";
import type { JobEvent } from "../../core/domain/job-events";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { GenUsage } from "../../core/ports/provider-port";

/** What a handler gets for one run of one job. */
export interface JobContext {
  /** Fresh copy when the handler starts. */
  job: Job;
  /** Aborted on cancel, lease loss or shutdown. */
  signal: AbortSignal;
  /** Tagged job_id / session_id. */
  logger: LoggerPort;
  /** Moves the job into `to` (next state of its path). Idempotent on resume: if the job is already at or past `to`, it is a no-op. */
  advance(to: JobState): Promise<void>;
  /** Appends events (progress, provider chunks, checks...). */
  emit(...events: JobEvent[]): Promise<void>;
  /**
   * Stores the job's running totals (usage and cost so far) with events, in one transaction, so a
   * job that fails after a paid call still shows what it spent.
   */
  record(totals: JobTotals, ...events: JobEvent[]): Promise<void>;
}

/** Usage and cost summed over the provider calls a job made so far. */
export interface JobTotals {
  usage?: GenUsage;
  costMicros?: number | null;
}

export interface JobOutcome {
  result: Record<string, unknown>;
  usage?: GenUsage;
  costMicros?: number | null;
}

/**
 * Does the work of one purpose (craft, refactor, ...). Re-run from the start when a job resumes
 * after a crash or a hand-back, so it must be safe to repeat: `advance` no-ops make that so.
 */
export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;
