import { describe, expect, it } from "vitest";
import { GromptError } from "../../src/core/domain/errors";
import { type JobState, type PromptPurpose, jobStates, promptPurposes } from "../../src/core/domain/job";
import { canMove, pathFor, transition } from "../../src/core/domain/job-state-machine";

describe("job state machine", () => {
  it.each([
    ["refactor", "queued", "snapshotting"],
    ["refactor", "snapshotting", "prompting"],
    ["refactor", "prompting", "diffing"],
    ["refactor", "diffing", "done"],
    ["craft", "queued", "prompting"],
    ["craft", "prompting", "done"],
    ["summarize", "queued", "prompting"],
    ["custom", "prompting", "done"],
  ] as [PromptPurpose, JobState, JobState][])("%s: %s → %s is legal", (purpose, from, to) => {
    expect(transition({ state: from, promptPurpose: purpose }, { type: "advance", to })).toEqual({ state: to });
    expect(canMove({ state: from, promptPurpose: purpose }, to)).toBe(true);
  });

  it("lets every non-terminal state of every purpose fail", () => {
    for (const purpose of promptPurposes) {
      for (const state of pathFor(purpose).filter((s) => s !== "done")) {
        const next = transition({ state, promptPurpose: purpose }, { type: "fail", error: { code: "timeout", message: "slow" } });
        expect(next).toEqual({ state: "error", error: { code: "timeout", message: "slow" } });
      }
    }
  });

  it("ends a canceled job in error with code canceled", () => {
    const next = transition({ state: "diffing", promptPurpose: "refactor" }, { type: "cancel", reason: "user asked" });
    expect(next.state).toBe("error");
    expect(next.error?.code).toBe("canceled");
    expect(next.error?.message).toBe("user asked");
  });

  it.each([
    ["refactor", "queued", "prompting"],
    ["refactor", "queued", "done"],
    ["refactor", "snapshotting", "diffing"],
    ["refactor", "diffing", "prompting"],
    ["refactor", "prompting", "queued"],
    ["craft", "queued", "snapshotting"],
    ["craft", "prompting", "diffing"],
    ["craft", "queued", "done"],
    ["summarize", "prompting", "queued"],
  ] as [PromptPurpose, JobState, JobState][])("%s: %s → %s is rejected with invalid_transition", (purpose, from, to) => {
    const move = () => transition({ state: from, promptPurpose: purpose }, { type: "advance", to });
    expect(move).toThrowError(GromptError);
    expect(move).toThrowError(expect.objectContaining({ code: "invalid_transition", details: { from, to } }));
    expect(canMove({ state: from, promptPurpose: purpose }, to)).toBe(false);
  });

  it("rejects every move out of a terminal state, including failure and cancel", () => {
    for (const state of ["done", "error"] as JobState[]) {
      for (const to of jobStates) {
        expect(() => transition({ state, promptPurpose: "refactor" }, { type: "advance", to })).toThrowError(/already ended/);
      }
      expect(() => transition({ state, promptPurpose: "craft" }, { type: "cancel" })).toThrowError(GromptError);
      expect(() =>
        transition({ state, promptPurpose: "craft" }, { type: "fail", error: { code: "x", message: "y" } }),
      ).toThrowError(GromptError);
    }
  });
});
