import { matchedPairs } from "./align-with-skips";
import { diagnoseUnplacedHunk } from "./diagnose-unplaced-hunk";
import type { FileIndex } from "./file-index";
import { findHunkMatches, oldSideOf, type HunkMatch, type MatchLevel, type OldSide } from "./find-hunk-matches";
import { hintOf } from "./hunk-hint";
import type { ParsedHunk } from "./parsed-diff";
import type { HunkStrategy } from "./patch-plan";
import type { PatchProblem } from "./patch-problem";
import { reindentAddedLines } from "./reindent-added-lines";

export interface LocatedHunk {
  hunk: ParsedHunk;
  old: OldSide;
  match: HunkMatch;
  strategy: HunkStrategy;
  /** 0-based line the header pointed at, or undefined without numbers. */
  hint: number | undefined;
  /** The hunk's added lines, re-indented to the file's indentation when the context needed it. */
  added: string[];
  reindented: boolean;
}

export interface LocateContext {
  path: string;
  /** Where the previous hunk of this file was placed relative to its header (GNU patch's drift). */
  drift: number;
  /** End of the previous hunk: later hunks are looked for after it first. */
  after: number;
  /** Regions taken by earlier hunks. */
  taken: readonly { start: number; end: number }[];
}

export type LocateResult = { ok: true; located: LocatedHunk } | { ok: false; problem: Omit<PatchProblem, "path" | "hunk" | "header" | "answerLine"> };

const levels: readonly MatchLevel[] = ["exact", "whitespace", "dropped-context"];

/**
 * Places a hunk by its content; line numbers only break ties. Each level (exact, then whitespace
 * ignored, then context lines dropped) is tried only when the one before finds nothing, and a
 * level that finds several places must be decided by the header's line (nearest, by a clear
 * margin) or the hunk is refused as ambiguous — never guessed.
 */
export function locateHunk(index: FileIndex, hunk: ParsedHunk, context: LocateContext): LocateResult {
  const old = oldSideOf(hunk);
  const hint = hintOf(hunk);
  if (old.lines.length === 0) return locatePureInsertion(index, hunk, old, hint);
  // The header's line, and where it points once the drift of earlier hunks is applied: the hunk
  // is somewhere around that span, and a candidate must be clearly nearest to all of it.
  const span = hint === undefined ? undefined : { from: Math.min(hint, hint + context.drift), to: Math.max(hint, hint + context.drift) };
  // Without context lines, or with only lines like `}`, content cannot tell repeated places apart.
  const weak = old.lines.every(isWeakLine) || !old.lines.some((line) => line.kind === "context");
  const overlapping: HunkMatch[] = [];
  for (const level of levels) {
    const matches = findHunkMatches(index, old, level);
    const free = matches.filter((m) => !context.taken.some((t) => m.start < t.end && t.start < m.end));
    if (free.length === 0) {
      overlapping.push(...matches);
      continue;
    }
    const inOrder = free.filter((m) => m.start >= context.after);
    const choice = weak ? chooseWeak(free, span) : choose(inOrder.length > 0 ? inOrder : free, span);
    if (choice === undefined) {
      const candidates = free.map((m) => m.start + 1).sort((x, y) => x - y);
      const listed = candidates.length > 12 ? `${candidates.slice(0, 12).join(", ")}, ...` : candidates.join(", ");
      const why = weak
        ? "its lines are too common to place by content, and the header's line number does not point at one of them"
        : hint === undefined
          ? "its header gives no line number"
          : "its header's line number does not single one out";
      return {
        ok: false,
        problem: {
          reason: "ambiguous",
          message: `The hunk fits at ${candidates.length} places (lines ${listed}) and ${why}; add context lines that make it unique.`,
          candidates,
        },
      };
    }
    if (choice.ambiguousEffect === true) {
      return {
        ok: false,
        problem: {
          reason: "ambiguous",
          message: `Near line ${choice.start + 1} the file has lines the hunk leaves out, and the rest matches in more than one way: which lines it removes, or where its added lines go, would be a guess. Include every line between the hunk's first and last line.`,
          candidates: [choice.start + 1],
        },
      };
    }
    return withAddedLines(index, { hunk, old, match: choice, hint, strategy: strategyOf(choice, hint), added: [], reindented: false });
  }
  if (overlapping.length > 0) {
    const lines = [...new Set(overlapping.map((m) => m.start + 1))].sort((x, y) => x - y);
    return {
      ok: false,
      problem: {
        reason: "overlapping-hunks",
        message: `The hunk only fits at line ${lines.join(", ")}, where an earlier hunk of this diff already changes the file; merge the two hunks into one.`,
        candidates: lines,
      },
    };
  }
  return { ok: false, problem: diagnoseUnplacedHunk(index, hunk, context.path) };
}

function strategyOf(match: HunkMatch, hint: number | undefined): HunkStrategy {
  if (match.skippedFileLines > 0 || match.skippedHunkLines > 0) return "dropped-context";
  if (match.looseLines > 0) return "whitespace";
  return hint === undefined || match.start === hint ? "exact" : "offset";
}

/**
 * Matched with whitespace ignored, the model's indentation is not the file's: its added lines are
 * re-indented the way its context lines differ, or the hunk is refused if that way is unclear.
 */
function withAddedLines(index: FileIndex, located: LocatedHunk): LocateResult {
  const added = located.hunk.lines.filter((line) => line.kind === "add").map((line) => line.text);
  if (located.match.looseLines === 0) return { ok: true, located: { ...located, added } };
  const result = reindentAddedLines(matchedPairs(index, located.old, located.match.alignment), added);
  const [first] = result.unresolved;
  if (first !== undefined) {
    return {
      ok: false,
      problem: {
        reason: "indentation-ambiguous",
        message: `The hunk matches the file only with whitespace ignored, and its indentation differs from the file's unevenly, so its added line "${(added[first] ?? "").trim()}" cannot be indented safely; copy the context lines with their exact indentation.`,
        candidates: [located.match.start + 1],
      },
    };
  }
  return { ok: true, located: { ...located, added: result.lines, reindented: result.changed } };
}

/** A header line further than this from every candidate says nothing about which one is meant. */
export const maxHintDistance = 30;

/** How much further the runner-up must be, beyond twice the nearest's distance: line numbers drift. */
const hintMargin = 5;

/** Header lines: as written, and shifted by the drift of earlier hunks. */
interface HintSpan {
  from: number;
  to: number;
}

const distanceTo = (start: number, span: HintSpan): number => (start < span.from ? span.from - start : start > span.to ? start - span.to : 0);

/**
 * The nearest match wins if the header's line is usable: close to it (within maxHintDistance)
 * and clearly nearer to it than to any other (the runner-up at least twice as far, plus a margin,
 * since models miscount lines by a few).
 */
function choose(matches: readonly HunkMatch[], span: HintSpan | undefined): HunkMatch | undefined {
  if (matches.length === 1) return matches[0];
  if (span === undefined) return undefined;
  const byDistance = [...matches].sort((x, y) => distanceTo(x.start, span) - distanceTo(y.start, span));
  const nearest = byDistance[0];
  const runnerUp = byDistance[1];
  if (nearest === undefined || runnerUp === undefined) return nearest;
  const near = distanceTo(nearest.start, span);
  return near <= maxHintDistance && distanceTo(runnerUp.start, span) >= 2 * near + hintMargin ? nearest : undefined;
}

/** Lines like `}`, `});`, `end`, `else {` or blank ones tell nothing about where they are. */
function isWeakLine(line: { loose: string }): boolean {
  return line.loose.replace(/[^\p{L}\p{N}]/gu, "").length <= 4;
}

/** A weak hunk found in several places goes only exactly where its header says, drift or not. */
function chooseWeak(matches: readonly HunkMatch[], span: HintSpan | undefined): HunkMatch | undefined {
  if (matches.length === 1) return matches[0];
  if (span === undefined) return undefined;
  const atHint = matches.filter((match) => match.start === span.from || match.start === span.to);
  return atHint.length === 1 ? atHint[0] : undefined;
}

/**
 * A hunk with nothing but added lines has no content to place it by. It is taken only where
 * there is no doubt: into an empty file, or appended at the very end, exactly where the header says.
 */
function locatePureInsertion(index: FileIndex, hunk: ParsedHunk, old: OldSide, hint: number | undefined): LocateResult {
  const size = index.lines.length;
  const at = size === 0 ? 0 : hint === size ? size : undefined;
  if (at === undefined) {
    return {
      ok: false,
      problem: {
        reason: "no-context",
        message: "The hunk only adds lines and has no context lines to place it by; include 2-3 unchanged lines around the change.",
      },
    };
  }
  const match: HunkMatch = { start: at, end: at, alignment: [], looseLines: 0, skippedFileLines: 0, skippedHunkLines: 0 };
  return withAddedLines(index, { hunk, old, match, hint, strategy: hint === undefined || hint === at ? "exact" : "offset", added: [], reindented: false });
}
