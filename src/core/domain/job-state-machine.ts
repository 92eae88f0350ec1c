import { GromptError } from "./errors";
import type { JobFailure, JobState, PromptPurpose } from "./job";
import { isTerminal } from "./job";

/** The happy path of each kind of job (DESIGN.md §3). */
const evolvePath: readonly JobState[] = ["queued", "snapshotting", "prompting", "diffing", "done"];
const directPath: readonly JobState[] = ["queued", "prompting", "done"];

/** Evolve (refactor) works on a snapshot; every other purpose goes straight to the provider. */
export const pathFor = (purpose: PromptPurpose): readonly JobState[] =>
  purpose === "refactor" ? evolvePath : directPath;

export type JobStateEvent =
  | { type: "advance"; to: JobState }
  | { type: "fail"; error: JobFailure }
  | { type: "cancel"; reason?: string };

export interface JobStatus {
  state: JobState;
  error?: JobFailure;
}

/**
 * The only place that decides which moves are legal. Pure: returns the next status or throws
 * `invalid_transition`. Cancellation is a failure with code `canceled`.
 */
export function transition(
  current: { state: JobState; promptPurpose: PromptPurpose },
  event: JobStateEvent,
): JobStatus {
  const { state, promptPurpose } = current;
  if (isTerminal(state)) {
    throw invalidMove(state, event, `the job already ended in "${state}"`);
  }
  switch (event.type) {
    case "fail":
      return { state: "error", error: event.error };
    case "cancel":
      return {
        state: "error",
        error: { code: "canceled", message: event.reason ?? "The job was canceled." },
      };
    case "advance": {
      const path = pathFor(promptPurpose);
      const next = path[path.indexOf(state) + 1];
      if (event.to !== next) {
        const allowed = next === undefined ? "error" : `${next} or error`;
        throw invalidMove(state, event, `a ${promptPurpose} job in "${state}" can only move to ${allowed}`);
      }
      return { state: next };
    }
  }
}

/** True when `to` is a legal next state for a job of this purpose in this state. */
export function canMove(current: { state: JobState; promptPurpose: PromptPurpose }, to: JobState): boolean {
  if (isTerminal(current.state)) return false;
  if (to === "error") return true;
  const path = pathFor(current.promptPurpose);
  return path[path.indexOf(current.state) + 1] === to;
}

function invalidMove(state: JobState, event: JobStateEvent, why: string): GromptError {
  const target = event.type === "advance" ? event.to : "error";
  return new GromptError("invalid_transition", `Cannot move a job from "${state}" to "${target}": ${why}.`, {
    details: { from: state, to: target },
  });
}
