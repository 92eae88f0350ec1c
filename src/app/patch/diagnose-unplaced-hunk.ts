import type { FileIndex } from "./file-index";
import { findHunkMatches, oldSideOf, type OldSide } from "./find-hunk-matches";
import { isPlaceholderLine } from "./is-placeholder-line";
import type { ParsedHunk } from "./parsed-diff";
import type { PatchProblem } from "./patch-problem";

/** Lines shown around the nearest region, so a reader sees where the hunk should go. */
const margin = 2;

/**
 * Explains why a hunk fits nowhere: an elision (`// ... existing code ...`), a hunk that is
 * already in the file, or context the file does not hold — with the lines that are missing and
 * the file's real lines where the hunk fits best (line numbers included), for a human or a model.
 */
export function diagnoseUnplacedHunk(index: FileIndex, hunk: ParsedHunk, path: string): Pick<PatchProblem, "reason" | "message" | "missing" | "nearest"> {
  const old = oldSideOf(hunk);
  const nearest = nearestRegion(index, old);
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
  const where = nearest === undefined ? "no line of it occurs in the file" : `it fits best at lines ${nearest.startLine}-${nearest.endLine}`;
  return {
    reason: "context-not-found",
    message: `${missing.length} of the hunk's ${old.lines.length} context/removed lines are not in the file (${where}).`,
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

/**
 * Where the hunk fits best: every old line found in the file votes for the start its position
 * implies, weighted by rarity (a unique line says more than a lone `}`); the best start wins.
 */
function nearestRegion(index: FileIndex, old: OldSide): PatchProblem["nearest"] {
  const votes = new Map<number, number>();
  old.lines.forEach((line, k) => {
    if (line.loose.replace(/[\s{}()[\];,]/g, "").length < 2) return;
    const positions = index.looseIndex.get(line.loose) ?? [];
    for (const position of positions) {
      const start = position - k;
      votes.set(start, (votes.get(start) ?? 0) + 1 / positions.length);
    }
  });
  let best: number | undefined;
  let bestScore = 0;
  for (const [start, score] of votes) {
    // Neighbouring starts count a little: a dropped or extra line shifts the rest by one.
    const smoothed = score + 0.5 * ((votes.get(start - 1) ?? 0) + (votes.get(start + 1) ?? 0));
    if (smoothed > bestScore || (smoothed === bestScore && best !== undefined && start < best)) {
      best = start;
      bestScore = smoothed;
    }
  }
  if (best === undefined) return undefined;
  const first = Math.max(0, best - margin);
  const last = Math.min(index.lines.length, best + old.lines.length + margin);
  const lines = index.lines.slice(first, last).map((text, offset) => ({ line: first + offset + 1, text }));
  return { startLine: first + 1, endLine: last, lines };
}
