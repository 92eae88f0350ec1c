import type { GenUsage } from "../ports/provider-port";
import type { Job, JobFailure, JobState } from "./job";

/**
 * Every event a job can log, shared by the store, the runner, CLI progress and SSE (STYLE.md §7).
 * Names are kebab-case noun-verb. Add members; never change the meaning of one.
 */
export type JobEvent =
  | { type: "job-created"; job: Job }
  | { type: "state-changed"; from: JobState; to: JobState }
  | { type: "job-resumed"; attempt: number; state: JobState; reason: string }
  | { type: "job-released"; reason: string }
  | { type: "cancel-requested"; reason?: string }
  | { type: "job-progressed"; step: string; message: string; data?: Record<string, unknown> }
  | { type: "provider-call-started"; callId: string; provider: string; model: string; purpose: string }
  | { type: "provider-chunk"; callId: string; text: string }
  | { type: "provider-retried"; callId: string; attempt: number; delayMs: number; code: string; status?: number }
  | {
      type: "provider-call-finished";
      callId: string;
      usage?: GenUsage;
      costMicros: number | null;
      cached: boolean;
      latencyMs: number;
      finishReason?: string;
    }
  | { type: "snapshot-taken"; snapshotId: string; files: number; bytes: number; tokens?: number }
  | { type: "patch-applied"; round: number; files: string[]; hunks: number; strategies: Record<string, number> }
  | { type: "patch-rejected"; round: number; reason: string }
  | { type: "check-started"; round: number; name: string; command: string }
  | {
      type: "check-finished";
      round: number;
      name: string;
      status: "passed" | "failed" | "timed-out" | "skipped";
      durationMs: number;
      causedByPatch?: boolean;
      output?: string;
    }
  | { type: "repair-round-started"; round: number; reason: string }
  | { type: "artifact-stored"; name: string; kind: string; sha256: string; bytes: number }
  | { type: "job-completed"; result: Record<string, unknown> }
  | { type: "job-failed"; error: JobFailure };

export type JobEventType = JobEvent["type"];

/** An event as stored: `seq` increases by one per job, starting at 1. */
export interface JobEventRecord {
  jobId: string;
  seq: number;
  ts: string;
  event: JobEvent;
}

/** Events after which nothing more happens to the job. */
export const isFinalEvent = (event: JobEvent): boolean =>
  event.type === "job-completed" || event.type === "job-failed";
