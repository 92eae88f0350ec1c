import { GromptError } from "../../../core/domain/errors";

export type GuardName = "max_lines" | "max_tokens" | "must_include" | "must_not_include" | "output_format" | "output_schema";
export type GuardSide = "input" | "output";

/** One guard a rendered input or an answer broke — enough for a repair prompt to act on. */
export interface GuardViolation {
  guard: GuardName;
  side: GuardSide;
  message: string;
  /** The configured bound (max_lines, max_tokens) or text (must_include, must_not_include). */
  limit?: number | string;
  /** The measured value (lines, tokens). */
  actual?: number;
  /** Line-level findings (diff problems, schema mismatches). */
  problems?: string[];
}

const hints: Record<GuardSide, string> = {
  input: "Send less: narrow --include or split the task, or raise the prompt's guards.",
  output: "The answer broke the prompt's contract; evolve repairs it, or adjust the prompt's guards.",
};

/**
 * The typed error for broken guards: `details.guard`/`details.side` name the first one and
 * `details.violations` carries them all, so the evolve repair loop can quote them back to the model.
 */
export function guardViolatedError(promptId: string, violations: readonly GuardViolation[]): GromptError {
  const first = violations[0];
  if (first === undefined) throw new GromptError("internal", "guardViolatedError needs at least one violation");
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more: ${violations.slice(1).map((v) => v.guard).join(", ")})` : "";
  return new GromptError("guard_violated", `prompt ${promptId}: ${first.side} guard ${first.guard}: ${first.message}${more}`, {
    hint: hints[first.side],
    details: { promptId, guard: first.guard, side: first.side, violations: [...violations] },
  });
}
