import { looseForm, type FileIndex } from "./file-index";
import type { ParsedHunk } from "./parsed-diff";

/** The lines a hunk expects in the file (context and removed), in order. */
export interface OldSide {
  lines: { text: string; loose: string; kind: "context" | "remove"; answerLine: number }[];
  /**
   * `gapAllowed[i]`: the file may hold lines the hunk left out between old lines i-1 and i. Never
   * where the hunk adds lines (which side of the gap would they go?) nor between two removed lines
   * (should the line between go too?).
   */
  gapAllowed: boolean[];
}

export interface HunkMatch {
  /** First and one-past-last file line of the region the hunk covers. */
  start: number;
  end: number;
  /** The file line each old line matched, or -1 for a blank context line the file lacks. */
  alignment: number[];
  /** Old lines that matched only with whitespace ignored. */
  looseLines: number;
  skippedFileLines: number;
  skippedHunkLines: number;
}

export type MatchLevel = "exact" | "whitespace" | "dropped-context";

/** At most this many lines skipped (file lines left out + blank context lines added) per hunk. */
export const maxSkippedLines = 3;

export function oldSideOf(hunk: ParsedHunk): OldSide {
  const lines: OldSide["lines"] = [];
  const gapAllowed: boolean[] = [];
  let addedSinceLast = false;
  for (const line of hunk.lines) {
    if (line.kind === "add") {
      addedSinceLast = true;
      continue;
    }
    const previous = lines[lines.length - 1];
    gapAllowed.push(previous !== undefined && !addedSinceLast && !(previous.kind === "remove" && line.kind === "remove"));
    lines.push({ text: line.text, loose: looseForm(line.text), kind: line.kind, answerLine: line.answerLine });
    addedSinceLast = false;
  }
  return { lines, gapAllowed };
}

/** Every place the old side fits at this level; the caller decides between several. */
export function findHunkMatches(index: FileIndex, old: OldSide, level: MatchLevel): HunkMatch[] {
  if (old.lines.length === 0) return [];
  return level === "dropped-context" ? findWithSkips(index, old) : findContiguous(index, old, level === "exact");
}

function findContiguous(index: FileIndex, old: OldSide, exact: boolean): HunkMatch[] {
  const keys = old.lines.map((line) => (exact ? line.text : line.loose));
  const table = exact ? index.exact : index.looseIndex;
  const fileKeys = exact ? index.lines : index.loose;
  // Anchor on the rarest line: the fewest places to verify.
  let anchor = 0;
  let fewest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < keys.length; k += 1) {
    const count = table.get(keys[k] ?? "")?.length ?? 0;
    if (count === 0) return [];
    if (count < fewest) {
      fewest = count;
      anchor = k;
    }
  }
  const matches: HunkMatch[] = [];
  for (const position of table.get(keys[anchor] ?? "") ?? []) {
    const start = position - anchor;
    if (start < 0 || start + keys.length > fileKeys.length) continue;
    if (!keys.every((key, k) => fileKeys[start + k] === key)) continue;
    const alignment = keys.map((_, k) => start + k);
    const looseLines = exact ? 0 : old.lines.filter((line, k) => line.text !== index.lines[start + k]).length;
    matches.push({ start, end: start + keys.length, alignment, looseLines, skippedFileLines: 0, skippedHunkLines: 0 });
  }
  return matches;
}

function findWithSkips(index: FileIndex, old: OldSide): HunkMatch[] {
  const first = old.lines.findIndex((line) => line.loose !== "");
  if (first === -1) return [];
  const matches: HunkMatch[] = [];
  for (const position of index.looseIndex.get(old.lines[first]?.loose ?? "") ?? []) {
    const match = alignFrom(index, old, first, position);
    if (match !== undefined && (match.skippedFileLines > 0 || match.skippedHunkLines > 0)) matches.push(match);
  }
  return matches;
}

/** Aligns the old side around `old[first]` sitting at file line `position`, within the skip budget. */
function alignFrom(index: FileIndex, old: OldSide, first: number, position: number): HunkMatch | undefined {
  const alignment = new Array<number>(old.lines.length).fill(-1);
  alignment[first] = position;
  let budget = maxSkippedLines;
  let skippedHunk = 0;
  // Lines before the first non-blank one are blank: match them upwards or drop them (context only).
  let cursor = position;
  for (let k = first - 1; k >= 0; k -= 1) {
    if (cursor > 0 && index.loose[cursor - 1] === "") {
      cursor -= 1;
      alignment[k] = cursor;
    } else if (old.lines[k]?.kind === "context" && budget > 0) {
      budget -= 1;
      skippedHunk += 1;
    } else {
      return undefined;
    }
  }
  const forward = alignForward(index, old, { from: first + 1, at: position + 1, budget, lastMatched: first });
  if (forward === undefined) return undefined;
  forward.steps.forEach((fileLine, offset) => (alignment[first + 1 + offset] = fileLine));
  const matched = alignment.filter((fileLine) => fileLine >= 0);
  const start = Math.min(...matched);
  const end = Math.max(...matched) + 1;
  const looseLines = old.lines.filter((line, k) => (alignment[k] ?? -1) >= 0 && line.text !== index.lines[alignment[k] ?? 0]).length;
  const skippedHunkLines = skippedHunk + forward.steps.filter((fileLine) => fileLine === -1).length;
  return { start, end, alignment, looseLines, skippedFileLines: end - start - matched.length, skippedHunkLines };
}

interface Cursor {
  from: number;
  at: number;
  budget: number;
  lastMatched: number;
}

/** Depth-first, matching before skipping, so the first alignment found skips the least. */
function alignForward(index: FileIndex, old: OldSide, cursor: Cursor): { steps: number[] } | undefined {
  const { from, at, budget, lastMatched } = cursor;
  const line = old.lines[from];
  if (line === undefined) return { steps: [] };
  if (at < index.loose.length && index.loose[at] === line.loose) {
    const rest = alignForward(index, old, { from: from + 1, at: at + 1, budget, lastMatched: from });
    if (rest !== undefined) return { steps: [at, ...rest.steps] };
  }
  if (budget === 0) return undefined;
  if (line.kind === "context" && line.loose === "") {
    const rest = alignForward(index, old, { from: from + 1, at, budget: budget - 1, lastMatched });
    if (rest !== undefined) return { steps: [-1, ...rest.steps] };
  }
  if (lastMatched === from - 1 && old.gapAllowed[from] === true && at < index.loose.length) {
    const rest = alignForward(index, old, { from, at: at + 1, budget: budget - 1, lastMatched });
    if (rest !== undefined) return rest;
  }
  return undefined;
}
