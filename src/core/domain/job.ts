import type { GenUsage, ProviderId } from "../ports/provider-port";

/** The six states the front end relies on (DESIGN.md §3). Finer progress travels as events. */
export type JobState = "queued" | "snapshotting" | "prompting" | "diffing" | "done" | "error";
export type PromptPurpose = "craft" | "refactor" | "summarize" | "custom";

export const jobStates: readonly JobState[] = ["queued", "snapshotting", "prompting", "diffing", "done", "error"];
export const promptPurposes: readonly PromptPurpose[] = ["craft", "refactor", "summarize", "custom"];

/** Why a job ended in `error`: a stable code (see errors.ts), a human message and a hint. */
export interface JobFailure {
  code: string;
  message: string;
  hint?: string;
}

export interface Job {
  id: string;
  sessionId: string;
  state: JobState;
  provider: ProviderId;
  model: string;
  promptPurpose: "craft" | "refactor" | "summarize" | "custom";
  createdAt: string;
  updatedAt: string;
  /** What the job was asked to do (instruction, cwd, ideas, ...); shape depends on the purpose. */
  input?: Record<string, unknown>;
  /** Set when state is `error`. */
  error?: JobFailure;
  /** Summed over every provider call of the job. */
  usage?: GenUsage;
  /** Summed cost in micro-dollars; null when some call had no known price. */
  costMicros?: number | null;
  /** Outcome summary written when the job ends (validation, files, rounds, ...). */
  result?: Record<string, unknown>;
  /** True once someone asked to cancel; the runner aborts and ends the job in `error/canceled`. */
  cancelRequested?: boolean;
  /** How many times a runner started (or resumed) this job. */
  attempts?: number;
  finishedAt?: string;
}

export const isTerminal = (state: JobState): boolean => state === "done" || state === "error";
