/**
 * The patch engine's public API (STYLE.md §8: plan, then apply).
 *
 *   const outcome = await planPatch({ root, text: answer });     // reads, never writes
 *   if (!outcome.ok) return renderPatchFailure(outcome.failure); // per hunk: reason, missing lines, nearest lines
 *   const touched = await applyPlan(outcome.plan);               // the only writer: atomic, all or nothing
 *
 * A failure is `{ code, message, problems }`: `code` is "no_diff_found" or "patch_not_applicable";
 * each problem has a `reason` (see refusalReasons), a `message`, and where it applies `path`,
 * `hunk` (1-based), `header`, `answerLine`, `missing` (hunk lines not in the file, with their
 * answer line), `nearest` (the file's real lines where the hunk fits best, numbered) and
 * `candidates` (lines where an ambiguous hunk fits). A plan lists per file and hunk how it was
 * placed (`strategy`, `line`, `offset`, `fuzz`, `reindented`) and, in `stats.strategies`, how many
 * hunks each strategy placed. `patchFailureError` turns a failure into the GromptError (exit 4,
 * problems in `details`) the CLI and HTTP edges report.
 */
export { planPatch, type PlanPatchDeps, type PlanPatchInput, type PatchOutcome } from "./plan-patch";
export { applyPlan, type ApplyFs, type ApplyPlanDeps } from "./apply-plan";
export { renderPatchFailure, renderPatchPlan } from "./render-patch-report";
export { patchFailureError } from "./patch-failure-error";
export { defaultMaxAnswerBytes } from "./decode-answer";
export { createFsPatchTree, type PatchTree, type TreeEntry } from "./patch-tree";
export type { FileChange, FileReport, FileState, HunkReport, HunkStrategy, PatchPlan, PatchStats, TouchedFile } from "./patch-plan";
export { refusalReasons, type NumberedLine, type PatchFailure, type PatchProblem, type RefusalReason } from "./patch-problem";
