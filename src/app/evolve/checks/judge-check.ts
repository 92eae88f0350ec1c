import type { CheckRun, Diagnostic } from "./check-spec";
import { newDiagnostics } from "./read-diagnostics";

/** A check's run after the patch, compared with the same check on the untouched tree. */
export interface JudgedCheck extends CheckRun {
  /** True when the patch made it fail: it passed before, or it reports problems it did not report before. */
  causedByPatch: boolean;
  /** Problems the baseline did not have (when both runs had readable diagnostics). */
  newDiagnostics?: Diagnostic[];
  /** How the verdict was reached. */
  comparedBy: "status" | "diagnostics";
}

/**
 * Tells failures the patch caused from ones that were already there. With no baseline (it could
 * not run) every failure counts against the patch. Two failing runs are compared by their
 * diagnostics, position-free, when both have readable ones; otherwise by status alone — a check
 * that failed before and fails the same way after is not the patch's fault.
 */
export function judgeCheck(run: CheckRun, baseline: Pick<CheckRun, "status" | "diagnostics"> | undefined): JudgedCheck {
  if (run.status === "passed" || run.status === "skipped") return { ...run, causedByPatch: false, comparedBy: "status" };
  if (baseline === undefined || baseline.status === "passed" || baseline.status === "skipped") {
    const judged: JudgedCheck = { ...run, causedByPatch: true, comparedBy: "status" };
    if (run.diagnostics !== undefined) judged.newDiagnostics = run.diagnostics;
    return judged;
  }
  if (run.status === "timed-out" || baseline.status === "timed-out") {
    return { ...run, causedByPatch: run.status !== baseline.status, comparedBy: "status" };
  }
  if (run.diagnostics !== undefined && baseline.diagnostics !== undefined) {
    const added = newDiagnostics(baseline.diagnostics, run.diagnostics);
    return { ...run, causedByPatch: added.length > 0, newDiagnostics: added, comparedBy: "diagnostics" };
  }
  // The baseline's output was readable and this one is not: the failure changed form.
  return { ...run, causedByPatch: run.diagnostics === undefined && baseline.diagnostics !== undefined, comparedBy: "status" };
}
