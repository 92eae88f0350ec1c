/**
 * The patch engine's public API (STYLE.md §8: plan, then apply).
 *
 *   const outcome = await planPatch({ root, text: answer });     // reads, never writes
 *   if (!outcome.ok) return renderPatchFailure(outcome.failure); // per hunk: reason, missing lines, nearest lines
 *   const touched = await applyPlan(outcome.plan);               // the only writer: atomic, all or nothing
 *
 * `patchFailureError` turns a failure into the GromptError the CLI and HTTP edges report.
 */
export { planPatch, type PlanPatchDeps, type PlanPatchInput, type PatchOutcome } from "./plan-patch";
export { applyPlan, type ApplyFs, type ApplyPlanDeps } from "./apply-plan";
export { renderPatchFailure, renderPatchPlan } from "./render-patch-report";
export { patchFailureError } from "./patch-failure-error";
export { defaultMaxAnswerBytes } from "./decode-answer";
export { createFsPatchTree, type PatchTree, type TreeEntry } from "./patch-tree";
export type { FileChange, FileReport, FileState, HunkReport, HunkStrategy, PatchPlan, PatchStats, TouchedFile } from "./patch-plan";
export { refusalReasons, type NumberedLine, type PatchFailure, type PatchProblem, type RefusalReason } from "./patch-problem";
