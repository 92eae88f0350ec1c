import type { FileIndex } from "./file-index";
import type { HunkMatch, OldSide } from "./find-hunk-matches";

/** At most this many lines skipped (file lines left out + blank context lines added) per hunk. */
export const maxSkippedLines = 3;

/** Alignments explored per anchor; the skip budget keeps the real number far below. */
const maxAlignments = 64;

interface Scored {
  match: HunkMatch;
  skips: number;
  /** Matched pairs whose indentation shift differs from the most common one. */
  inconsistent: number;
}

export type AlignmentPreference = "fewest-skips" | "consistent-indentation";

/**
 * Aligns the old side with `old[first]` (its first non-blank line) at file line `position`,
 * skipping at most maxSkippedLines lines: file lines the hunk left out (where gapAllowed says a
 * gap is harmless) and blank context lines the file lacks. Of every alignment the preferred one
 * wins: fewest skips then most consistent indentation, or the other way round (a `}` indented
 * like its neighbours is the one meant). If equally good alignments remove different lines, the
 * match is flagged: which line the hunk removes would be a guess.
 */
export function alignWithSkips(
  index: FileIndex,
  old: OldSide,
  anchor: { first: number; position: number; prefer: AlignmentPreference },
): (HunkMatch & { inconsistent: number }) | undefined {
  const { first, position, prefer } = anchor;
  const head = alignBlankHead(index, old, first, position);
  if (head === undefined) return undefined;
  const tails: number[][] = [];
  collectTails(index, old, { from: first + 1, at: position + 1, budget: head.budget, lastMatched: first, steps: [] }, tails);
  const scored = tails.map((tail) => score(index, old, [...head.alignment, ...tail]));
  const bySkips = (x: Scored, y: Scored): number => x.skips - y.skips;
  const byIndent = (x: Scored, y: Scored): number => x.inconsistent - y.inconsistent;
  const [primary, secondary] = prefer === "fewest-skips" ? [bySkips, byIndent] : [byIndent, bySkips];
  scored.sort((x, y) => primary(x, y) || secondary(x, y) || x.match.looseLines - y.match.looseLines);
  const best = scored[0];
  if (best === undefined) return undefined;
  const rivals = scored.filter((other) => other.skips === best.skips && other.inconsistent === best.inconsistent);
  const outcome = effect(old, best.match);
  const ambiguousEffect = rivals.some((other) => effect(old, other.match) !== outcome);
  return { ...best.match, ...(ambiguousEffect ? { ambiguousEffect } : {}), inconsistent: best.inconsistent };
}

/**
 * What an alignment does to the file: which lines it removes and after which line each run of
 * added lines lands. Two equally good alignments with different effects make the hunk a guess.
 */
function effect(old: OldSide, match: HunkMatch): string {
  const removed = match.alignment.filter((_, k) => old.lines[k]?.kind === "remove");
  const insertions = old.addedAfter.map((k) => {
    const before = match.alignment.slice(0, k + 1).filter((fileLine) => fileLine >= 0);
    return before.length === 0 ? `start${match.start}` : String(Math.max(...before));
  });
  return `${removed.join(",")}|${insertions.join(",")}`;
}

/** Lines before the first non-blank one are blank: matched upwards to blank file lines, or dropped. */
function alignBlankHead(index: FileIndex, old: OldSide, first: number, position: number): { alignment: number[]; budget: number } | undefined {
  const alignment = new Array<number>(first + 1).fill(-1);
  alignment[first] = position;
  let budget = maxSkippedLines;
  let cursor = position;
  for (let k = first - 1; k >= 0; k -= 1) {
    if (cursor > 0 && index.loose[cursor - 1] === "") {
      cursor -= 1;
      alignment[k] = cursor;
    } else if (old.lines[k]?.kind === "context" && budget > 0) {
      budget -= 1;
    } else {
      return undefined;
    }
  }
  return { alignment, budget };
}

interface Cursor {
  from: number;
  at: number;
  budget: number;
  lastMatched: number;
  steps: number[];
}

function collectTails(index: FileIndex, old: OldSide, cursor: Cursor, out: number[][]): void {
  if (out.length >= maxAlignments) return;
  const { from, at, budget, lastMatched, steps } = cursor;
  const line = old.lines[from];
  if (line === undefined) {
    out.push(steps);
    return;
  }
  if (at < index.loose.length && index.loose[at] === line.loose) {
    collectTails(index, old, { from: from + 1, at: at + 1, budget, lastMatched: from, steps: [...steps, at] }, out);
  }
  if (budget === 0) return;
  if (line.kind === "context" && line.loose === "") {
    collectTails(index, old, { from: from + 1, at, budget: budget - 1, lastMatched, steps: [...steps, -1] }, out);
  }
  if (lastMatched === from - 1 && old.gapAllowed[from] === true && at < index.loose.length) {
    collectTails(index, old, { from, at: at + 1, budget: budget - 1, lastMatched, steps }, out);
  }
}

function score(index: FileIndex, old: OldSide, alignment: number[]): Scored {
  const matched = alignment.filter((fileLine) => fileLine >= 0);
  const start = Math.min(...matched);
  const end = Math.max(...matched) + 1;
  const looseLines = old.lines.filter((line, k) => (alignment[k] ?? -1) >= 0 && line.text !== index.lines[alignment[k] ?? 0]).length;
  const skippedHunkLines = alignment.filter((fileLine) => fileLine === -1).length;
  const skippedFileLines = end - start - matched.length;
  const match: HunkMatch = { start, end, alignment, looseLines, skippedFileLines, skippedHunkLines };
  return { match, skips: skippedFileLines + skippedHunkLines, inconsistent: indentInconsistency(matchedPairs(index, old, alignment)) };
}

/**
 * How many matched pairs disagree with the most common indentation shift: 0 when the hunk is
 * indented like the file, or consistently off (re-indented as a whole).
 */
export function indentInconsistency(pairs: readonly { hunk: string; file: string }[]): number {
  const counts = new Map<number, number>();
  for (const pair of pairs) {
    const delta = width(pair.file) - width(pair.hunk);
    counts.set(delta, (counts.get(delta) ?? 0) + 1);
  }
  return pairs.length - Math.max(0, ...counts.values());
}

/** The non-blank lines each old line matched, for judging indentation. */
export function matchedPairs(index: FileIndex, old: OldSide, alignment: readonly number[]): { hunk: string; file: string }[] {
  return old.lines.flatMap((line, k) => {
    const at = alignment[k] ?? -1;
    return at >= 0 && line.loose !== "" ? [{ hunk: line.text, file: index.lines[at] ?? "" }] : [];
  });
}

function width(line: string): number {
  let columns = 0;
  for (const char of /^[ \t]*/.exec(line)?.[0] ?? "") columns += char === "\t" ? 4 : 1;
  return columns;
}
