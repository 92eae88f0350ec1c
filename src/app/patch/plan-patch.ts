import { decodeAnswer } from "./decode-answer";
import { extractDiffBlocks } from "./extract-diff-blocks";
import { parseDiffText } from "./parse-diff-text";
import type { ParsedFilePatch } from "./parsed-diff";
import { createOverlay } from "./overlay-workspace";
import type { FileReport, PatchPlan, PatchStats } from "./patch-plan";
import type { PatchFailure, PatchProblem } from "./patch-problem";
import { createFsPatchTree, type PatchTree } from "./patch-tree";
import { planFilePatch } from "./plan-file-patch";

export interface PlanPatchInput {
  /** The directory every path in the diff is relative to. */
  root: string;
  /** The model's answer (or a plain diff): prose, fences and diffs; bytes are checked for UTF-8. */
  text: string | Uint8Array;
  /** Refuse answers larger than this (default 10 MiB). */
  maxBytes?: number;
}

export interface PlanPatchDeps {
  /** How the tree is read; defaults to the real file system under `root`. */
  tree?: PatchTree;
}

export type PatchOutcome = { ok: true; plan: PatchPlan } | { ok: false; failure: PatchFailure };

/**
 * Plans a patch without writing anything: extracts every diff from the answer, parses it
 * tolerantly, places each hunk and computes every file's new bytes in memory. Returns the plan,
 * or a failure listing every problem (per hunk: the reason, the lines that are missing and the
 * file's nearest real lines). Diffs that touch the same file apply one after the other.
 */
export async function planPatch(input: PlanPatchInput, deps: PlanPatchDeps = {}): Promise<PatchOutcome> {
  const decoded = decodeAnswer(input.text, input.maxBytes);
  if (!decoded.ok) return failed([decoded.problem]);
  const blocks = extractDiffBlocks(decoded.text);
  const parsed = blocks.map(parseDiffText);
  const patches = withoutRepeats(parsed.flatMap((block) => block.files));
  const problems: PatchProblem[] = parsed.flatMap((block) => block.problems);
  if (patches.length === 0 && problems.length === 0) {
    return failed([{ reason: "no-diff-found", message: "The answer holds no unified diff (no ```diff block, no ---/+++ headers, no @@ hunks)." }]);
  }
  const tree = deps.tree ?? (await createFsPatchTree(input.root));
  const overlay = createOverlay(tree);
  const files: FileReport[] = [];
  for (const patch of patches) {
    const result = await planFilePatch(patch, overlay.workspace);
    if (result.ok) files.push(result.report);
    else if (repeatsEarlierChange(result.problems, files)) files.push(skippedRepeat(patch, result.problems[0]?.path ?? ""));
    else problems.push(...result.problems);
  }
  if (problems.length > 0) return failed(problems);
  const changes = overlay.changes();
  return { ok: true, plan: { root: tree.root, files, changes, stats: statsOf(files) } };
}

/** The same file diff twice in one answer (the model repeating itself) applies once. */
function withoutRepeats(patches: readonly ParsedFilePatch[]): ParsedFilePatch[] {
  const seen = new Set<string>();
  return patches.filter((patch) => {
    const key = JSON.stringify([
      patch.oldPath?.stripped,
      patch.newPath?.stripped,
      patch.renameFrom?.stripped,
      patch.renameTo?.stripped,
      patch.copyTo?.stripped,
      patch.isNew,
      patch.isDeleted,
      patch.newMode,
      patch.hunks.map((hunk) => hunk.lines.map((line) => [line.kind, line.text])),
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A second diff of a file that an earlier diff of the same answer already changed that way (the
 * model restating "the key change") is skipped, not refused.
 */
function repeatsEarlierChange(problems: readonly PatchProblem[], earlier: readonly FileReport[]): boolean {
  return problems.length > 0 && problems.every((problem) => problem.reason === "already-applied" && earlier.some((file) => file.path === problem.path));
}

function skippedRepeat(patch: ParsedFilePatch, path: string): FileReport {
  return { path, operation: "modify", answerLine: patch.answerLine, hunks: [], notes: ["skipped: repeats a change an earlier diff in the answer already made"] };
}

function failed(problems: PatchProblem[]): PatchOutcome {
  const noDiff = problems.every((problem) => problem.reason === "no-diff-found" || problem.reason === "input-empty");
  const [first] = problems;
  const where = first?.path === undefined ? "" : `${first.path}${first.hunk === undefined ? "" : ` hunk ${first.hunk}`}: `;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return {
    ok: false,
    failure: { code: noDiff ? "no_diff_found" : "patch_not_applicable", message: `${where}${first?.message ?? "The patch cannot be applied."}${more}`, problems: problems.map(reasonFirst) },
  };
}

/** The same problem with `reason` and `message` leading, so JSON reads top-down. */
function reasonFirst({ reason, message, ...where }: PatchProblem): PatchProblem {
  return { reason, message, ...where };
}

function statsOf(files: readonly FileReport[]): PatchStats {
  const stats: PatchStats = { files: new Set(files.map((file) => file.path)).size, hunks: 0, added: 0, removed: 0, strategies: {} };
  for (const file of files) {
    for (const hunk of file.hunks) {
      stats.hunks += 1;
      stats.added += hunk.added;
      stats.removed += hunk.removed;
      stats.strategies[hunk.strategy] = (stats.strategies[hunk.strategy] ?? 0) + 1;
    }
  }
  return stats;
}
