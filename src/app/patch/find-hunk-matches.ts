import { alignWithSkips, indentInconsistency, matchedPairs } from "./align-with-skips";
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
  /** For each run of added lines, the index of the old line just before it (-1: the hunk starts with it). */
  addedAfter: number[];
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
  /** Equally good alignments remove different lines or add at different places: a guess. */
  ambiguousEffect?: boolean;
}

export type MatchLevel = "exact" | "whitespace" | "dropped-context";

export function oldSideOf(hunk: ParsedHunk): OldSide {
  const lines: OldSide["lines"] = [];
  const gapAllowed: boolean[] = [];
  const addedAfter: number[] = [];
  let addedSinceLast = false;
  for (const line of hunk.lines) {
    if (line.kind === "add") {
      if (!addedSinceLast) addedAfter.push(lines.length - 1);
      addedSinceLast = true;
      continue;
    }
    const previous = lines[lines.length - 1];
    gapAllowed.push(previous !== undefined && !addedSinceLast && !(previous.kind === "remove" && line.kind === "remove"));
    lines.push({ text: line.text, loose: looseForm(line.text), kind: line.kind, answerLine: line.answerLine });
    addedSinceLast = false;
  }
  return { lines, gapAllowed, addedAfter };
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
    const match = { start, end: start + keys.length, alignment, looseLines, skippedFileLines: 0, skippedHunkLines: 0 };
    matches.push(exact ? match : realigned(index, old, match));
  }
  return matches;
}

/**
 * A whitespace-tolerant match whose indentation is off by different amounts on different lines
 * may have paired a `}` with the wrong `}` (the model dropped a line in between): an alignment
 * from the same first line that skips that line but is indented consistently is the one meant.
 */
function realigned(index: FileIndex, old: OldSide, match: HunkMatch): HunkMatch {
  const inconsistent = indentInconsistency(matchedPairs(index, old, match.alignment));
  const first = old.lines.findIndex((line) => line.loose !== "");
  if (inconsistent === 0 || first === -1) return match;
  const better = alignWithSkips(index, old, { first, position: match.alignment[first] ?? match.start, prefer: "consistent-indentation" });
  if (better === undefined || better.inconsistent >= inconsistent) return match;
  const { inconsistent: _ignored, ...rest } = better;
  return rest;
}

function findWithSkips(index: FileIndex, old: OldSide): HunkMatch[] {
  const first = old.lines.findIndex((line) => line.loose !== "");
  if (first === -1) return [];
  const matches: HunkMatch[] = [];
  for (const position of index.looseIndex.get(old.lines[first]?.loose ?? "") ?? []) {
    const aligned = alignWithSkips(index, old, { first, position, prefer: "fewest-skips" });
    if (aligned === undefined) continue;
    const { inconsistent: _ignored, ...match } = aligned;
    if (match.skippedFileLines > 0 || match.skippedHunkLines > 0) matches.push(match);
  }
  return matches;
}
