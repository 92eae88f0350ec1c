import { diagnoseUnplacedHunk } from "./diagnose-unplaced-hunk";
import type { FileIndex } from "./file-index";
import { hintOf } from "./hunk-hint";
import { findHunkMatches, oldSideOf, type HunkMatch, type MatchLevel, type OldSide } from "./find-hunk-matches";
import type { ParsedHunk } from "./parsed-diff";
import type { HunkStrategy } from "./patch-plan";
import type { PatchProblem } from "./patch-problem";

export interface LocatedHunk {
  hunk: ParsedHunk;
  old: OldSide;
  match: HunkMatch;
  strategy: HunkStrategy;
  /** 0-based line the header pointed at, or undefined without numbers. */
  hint: number | undefined;
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
  const drifted = hint === undefined ? undefined : hint + context.drift;
  const overlapping: HunkMatch[] = [];
  for (const level of levels) {
    const matches = findHunkMatches(index, old, level);
    const free = matches.filter((m) => !context.taken.some((t) => m.start < t.end && t.start < m.end));
    if (free.length === 0) {
      overlapping.push(...matches);
      continue;
    }
    const inOrder = free.filter((m) => m.start >= context.after);
    const choice = choose(inOrder.length > 0 ? inOrder : free, drifted);
    if (choice === undefined) {
      const candidates = free.map((m) => m.start + 1).sort((x, y) => x - y);
      return {
        ok: false,
        problem: {
          reason: "ambiguous",
          message: `The hunk fits at ${candidates.length} places (lines ${candidates.join(", ")}) and ${hint === undefined ? "its header gives no line number" : "its header's line number does not single one out"}; add context lines that make it unique.`,
          candidates,
        },
      };
    }
    return { ok: true, located: { hunk, old, match: choice, hint, strategy: strategyOf(level, choice, hint) } };
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

function strategyOf(level: MatchLevel, match: HunkMatch, hint: number | undefined): HunkStrategy {
  if (level === "dropped-context") return "dropped-context";
  if (level === "whitespace") return "whitespace";
  return hint === undefined || match.start === hint ? "exact" : "offset";
}

/** The nearest match wins if it is clearly nearer: at most half the distance of the runner-up. */
function choose(matches: readonly HunkMatch[], hint: number | undefined): HunkMatch | undefined {
  if (matches.length === 1) return matches[0];
  if (hint === undefined) return undefined;
  const byDistance = [...matches].sort((x, y) => Math.abs(x.start - hint) - Math.abs(y.start - hint));
  const nearest = byDistance[0];
  const runnerUp = byDistance[1];
  if (nearest === undefined || runnerUp === undefined) return nearest;
  const near = Math.abs(nearest.start - hint);
  return Math.abs(runnerUp.start - hint) > 2 * near ? nearest : undefined;
}

/**
 * A hunk with nothing but added lines has no content to place it by. It is taken only where
 * there is no doubt: into an empty file, or appended at the very end the header names.
 */
function locatePureInsertion(index: FileIndex, hunk: ParsedHunk, old: OldSide, hint: number | undefined): LocateResult {
  const size = index.lines.length;
  const at = size === 0 ? 0 : hint !== undefined && hint >= size ? size : undefined;
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
  return { ok: true, located: { hunk, old, match, hint, strategy: hint === undefined || hint === at ? "exact" : "offset" } };
}
