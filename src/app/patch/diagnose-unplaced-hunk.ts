import type { FileIndex } from "./file-index";
import { findHunkMatches, oldSideOf } from "./find-hunk-matches";
import { hintOf } from "./hunk-hint";
import { isPlaceholderLine } from "./is-placeholder-line";
import { nearestRegion } from "./nearest-region";
import type { ParsedHunk } from "./parsed-diff";
import type { PatchProblem } from "./patch-problem";


/**
 * Explains why a hunk fits nowhere: an elision (`// ... existing code ...`), a hunk that is
 * already in the file, or context the file does not hold — with the lines that are missing and
 * the file's real lines where the hunk fits best (line numbers included), for a human or a model.
 */
export function diagnoseUnplacedHunk(index: FileIndex, hunk: ParsedHunk, path: string): Pick<PatchProblem, "reason" | "message" | "missing" | "nearest"> {
  const old = oldSideOf(hunk);
  const region = nearestRegion(index, old, hintOf(hunk));
  const nearest = region?.window;
  const window = nearest === undefined ? new Set(index.loose) : new Set(index.loose.slice(nearest.startLine - 1, nearest.endLine));
  const missing = old.lines
    .filter((line) => line.loose !== "" && !window.has(line.loose))
    .map((line) => ({ text: line.text, answerLine: line.answerLine }));
  const nearestPart = nearest === undefined ? {} : { nearest };

  const placeholder = old.lines.find((line) => isPlaceholderLine(line.text, path) && !index.looseIndex.has(line.loose));
  if (placeholder !== undefined) {
    return {
      reason: "placeholder",
      message: `The hunk stands for code with an elision ("${placeholder.text.trim()}"); write out the real lines it replaces.`,
      missing,
      ...nearestPart,
    };
  }
  if (isAlreadyApplied(index, hunk)) {
    return { reason: "already-applied", message: "The file already holds the hunk's result; it looks applied already.", ...nearestPart };
  }
  const where = region === undefined ? "no line of it occurs in the file" : `it fits best at lines ${region.first}-${region.last}`;
  const verb = missing.length === 1 ? "is" : "are";
  return {
    reason: "context-not-found",
    message: `${missing.length} of the hunk's ${old.lines.length} context/removed lines ${verb} not in the file (${where}).`,
    missing,
    ...nearestPart,
  };
}

/** The new side (context + added) is in the file and the hunk changes something. */
function isAlreadyApplied(index: FileIndex, hunk: ParsedHunk): boolean {
  if (!hunk.lines.some((line) => line.kind !== "context")) return false;
  const reversed: ParsedHunk = {
    ...hunk,
    lines: hunk.lines.filter((line) => line.kind !== "remove").map((line) => ({ ...line, kind: line.kind === "add" ? "remove" : line.kind })),
  };
  const newSide = oldSideOf(reversed);
  return newSide.lines.length > 0 && findHunkMatches(index, newSide, "whitespace").length === 1;
}
