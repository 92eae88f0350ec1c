import { editTextFile, type NumberedHunk } from "./edit-text-file";
import { indexLines, looseForm } from "./file-index";
import { checkDeletion, entryProblem, modeAfter, textOfNewFile } from "./file-patch-rules";
import { oldSideOf } from "./find-hunk-matches";
import { hintOf } from "./hunk-hint";
import { isPlaceholderLine } from "./is-placeholder-line";
import { locateHunk } from "./locate-hunk";
import { nearestRegion } from "./nearest-region";
import type { ParsedFilePatch, ParsedHunk } from "./parsed-diff";
import type { FileReport, FileState, HunkReport } from "./patch-plan";
import type { PatchProblem } from "./patch-problem";
import type { TreeEntry } from "./patch-tree";
import { resolveFileTarget, type FileTarget } from "./resolve-file-target";
import { decodeTextFile, joinText, splitText, type TextFile } from "./text-file";

/** The planner's view of the tree with every earlier diff of the answer already applied. */
export interface Workspace {
  read(path: string): Promise<TreeEntry>;
  write(path: string, state: FileState | null): void;
}

export type FilePlanResult = { ok: true; report: FileReport } | { ok: false; problems: PatchProblem[] };

const encoder = new TextEncoder();

/**
 * Plans one file's diff against the workspace: resolves its paths, checks what is there, places
 * every hunk and records the file's new state. Reports every problem it finds, not just the first.
 */
export async function planFilePatch(patch: ParsedFilePatch, workspace: Workspace): Promise<FilePlanResult> {
  const fail = (problem: Omit<PatchProblem, "answerLine">): FilePlanResult => ({ ok: false, problems: [{ answerLine: patch.answerLine, ...problem }] });
  const shownPath = patch.newPath?.stripped ?? patch.oldPath?.stripped;
  // A binary file can still be deleted (its content is not needed); anything else needs the bytes.
  const binaryDeletion = patch.isBinary && (patch.isDeleted || patch.newPath === null) && patch.hunks.length === 0;
  if (patch.isBinary && !binaryDeletion) {
    return fail({ reason: "binary-patch", message: "Binary patches cannot be applied; change binary files outside the patch.", path: shownPath });
  }
  const oddMode = [patch.oldMode, patch.newMode].find((mode) => mode !== undefined && mode !== "100644" && mode !== "100755");
  if (oddMode !== undefined) {
    const what = oddMode === "120000" ? "a symbolic link" : oddMode === "160000" ? "a submodule" : `mode ${oddMode}`;
    return fail({ reason: "unsupported-mode", message: `The diff makes ${what}; only regular files (100644, 100755) are patched.`, path: shownPath });
  }
  const resolved = await resolveFileTarget(patch, async (path) => (await workspace.read(path)).kind === "file");
  if (!resolved.ok) return fail(resolved.problem);
  const target = resolved.target;
  const notes: string[] = [];

  const sourceEntry = target.source === undefined ? undefined : await workspace.read(target.source);
  const targetEntry = target.target === undefined || target.target === target.source ? undefined : await workspace.read(target.target);
  if (target.operation === "modify" && sourceEntry?.kind === "missing" && patch.hunks.length > 0 && patch.hunks.every(onlyAdds)) {
    // `--- a/x` / `+++ b/x` with nothing but added lines, for a file that does not exist: a creation.
    notes.push("creation inferred: the file does not exist and the diff only adds lines");
    return planCreation({ ...target, operation: "create", source: undefined }, patch, workspace, { entry: sourceEntry, notes });
  }
  if (target.operation === "create") return planCreation(target, patch, workspace, { entry: await workspace.read(target.target ?? ""), notes });
  if (sourceEntry?.kind !== "file") return fail({ ...entryProblem(sourceEntry ?? { kind: "missing" }, target.source ?? "", "file"), path: target.source });
  if (targetEntry !== undefined && targetEntry.kind !== "missing") {
    return fail({ ...entryProblem(targetEntry, target.target ?? "", "missing"), path: target.target });
  }
  if (patch.hunks.length === 0) return planWithoutHunks({ patch, target, workspace, source: sourceEntry, notes });
  const text = decodeTextFile(sourceEntry.bytes);
  if (text === undefined) {
    return fail({ reason: "file-not-text", message: `"${target.source}" is binary or not UTF-8; the patch engine only edits text files.`, path: target.source });
  }
  const file = splitText(text);

  if (target.operation === "delete") {
    const mismatch = checkDeletion(file, patch);
    if (mismatch !== undefined) return fail({ ...mismatch, path: target.display });
    workspace.write(target.source ?? "", null);
    return { ok: true, report: reportOf(target, patch, deletionReports(patch), notes) };
  }

  const edited = placeHunks(file, patch, target.display);
  if (!edited.ok) return { ok: false, problems: edited.problems };
  const bytes = encoder.encode(joinText(edited.file));
  const mode = modeAfter(sourceEntry.mode, patch.newMode);
  if (target.operation === "rename") workspace.write(target.source ?? "", null);
  workspace.write(target.target ?? "", { bytes, mode });
  return { ok: true, report: reportOf(target, patch, edited.reports, notes) };
}

/**
 * A file diff with no hunks: a deletion, a rename or copy, or a mode change — the bytes move as
 * they are, so binary files qualify. A plain edit with nothing in it is malformed.
 */
function planWithoutHunks(input: { patch: ParsedFilePatch; target: FileTarget; workspace: Workspace; source: FileState; notes: string[] }): FilePlanResult {
  const { patch, target, workspace, source, notes } = input;
  if (target.operation === "modify" && patch.newMode === undefined) {
    return { ok: false, problems: [{ reason: "malformed", message: `The diff for "${target.display}" has no hunks.`, path: target.display, answerLine: patch.answerLine }] };
  }
  if (target.operation === "delete" || target.operation === "rename") workspace.write(target.source ?? "", null);
  if (target.operation !== "delete") workspace.write(target.target ?? "", { bytes: source.bytes, mode: modeAfter(source.mode, patch.newMode) });
  return { ok: true, report: reportOf(target, patch, [], notes) };
}

function onlyAdds(hunk: ParsedHunk): boolean {
  return hunk.lines.length > 0 && hunk.lines.every((line) => line.kind === "add");
}

type Placed = { ok: true; file: TextFile; reports: HunkReport[] } | { ok: false; problems: PatchProblem[] };

/** Places every hunk on the original lines, each after the one before when it can. */
function placeHunks(file: TextFile, patch: ParsedFilePatch, path: string): Placed {
  const index = indexLines(file.lines);
  const problems: PatchProblem[] = [];
  const placed: NumberedHunk[] = [];
  let drift = 0;
  let after = 0;
  patch.hunks.forEach((hunk, position) => {
    const where = { path, hunk: position + 1, header: hunk.header, answerLine: hunk.answerLine };
    const placeholder = hunk.lines.find((line) => line.kind === "add" && isPlaceholderLine(line.text, path) && !index.looseIndex.has(looseForm(line.text)));
    if (placeholder !== undefined) {
      const region = nearestRegion(index, oldSideOf(hunk), hintOf(hunk));
      problems.push({
        ...where,
        reason: "placeholder",
        message: `The hunk adds an elision ("${placeholder.text.trim()}") that would replace real code; write out the full lines.`,
        missing: [{ text: placeholder.text, answerLine: placeholder.answerLine }],
        ...(region === undefined ? {} : { nearest: region.window }),
      });
      return;
    }
    const taken = placed.map(({ located }) => located.match);
    const result = locateHunk(index, hunk, { path, drift, after, taken });
    if (!result.ok) {
      problems.push({ ...where, ...result.problem });
      return;
    }
    const { match, hint } = result.located;
    if (hint !== undefined) drift = match.start - hint;
    after = match.end;
    placed.push({ number: position + 1, located: result.located });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, ...editTextFile(file, placed) };
}

async function planCreation(
  target: FileTarget,
  patch: ParsedFilePatch,
  workspace: Workspace,
  found: { entry: TreeEntry; notes: string[] },
): Promise<FilePlanResult> {
  const path = target.target ?? "";
  const fail = (problem: Omit<PatchProblem, "answerLine" | "path">): FilePlanResult => ({ ok: false, problems: [{ answerLine: patch.answerLine, path, ...problem }] });
  if (found.entry.kind !== "missing") return fail(entryProblem(found.entry, path, "missing"));
  const content = textOfNewFile(patch, path);
  if (!content.ok) return fail(content.problem);
  workspace.write(path, { bytes: encoder.encode(content.text), mode: modeAfter(0o644, patch.newMode) });
  const reports: HunkReport[] = patch.hunks.map((hunk, position) => ({
    hunk: position + 1,
    header: hunk.header,
    answerLine: hunk.answerLine,
    strategy: "new-file",
    line: 1,
    hintLine: null,
    offset: null,
    fuzz: 0,
    reindented: false,
    added: hunk.lines.length,
    removed: 0,
  }));
  return { ok: true, report: reportOf({ ...target, operation: "create" }, patch, reports, found.notes) };
}

function deletionReports(patch: ParsedFilePatch): HunkReport[] {
  return patch.hunks.map((hunk, position) => ({
    hunk: position + 1,
    header: hunk.header,
    answerLine: hunk.answerLine,
    strategy: "deleted-file",
    line: 1,
    hintLine: null,
    offset: null,
    fuzz: 0,
    reindented: false,
    added: 0,
    removed: hunk.lines.length,
  }));
}

function reportOf(target: FileTarget, patch: ParsedFilePatch, hunks: HunkReport[], notes: string[]): FileReport {
  const report: FileReport = { path: target.display, operation: target.operation, answerLine: patch.answerLine, hunks, notes };
  if ((target.operation === "rename" || target.operation === "copy") && target.source !== undefined) report.fromPath = target.source;
  if (patch.newMode !== undefined && patch.newMode !== patch.oldMode) report.mode = patch.newMode;
  return report;
}
