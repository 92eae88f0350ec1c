import type { FileIndex } from "./file-index";
import type { OldSide } from "./find-hunk-matches";
import type { PatchProblem } from "./patch-problem";

/** Lines shown around the region, so a reader sees where the hunk should go. */
const margin = 2;
/** How alike two lines must be (bigram Dice coefficient) to count as a near miss. */
const similar = 0.7;
const maxComparisons = 2_000_000;

export interface NearestRegion {
  /** 1-based lines where the hunk would sit. */
  first: number;
  last: number;
  /** Those lines and a few around them, numbered. */
  window: NonNullable<PatchProblem["nearest"]>;
}

/**
 * Where a hunk that fits nowhere fits best. Each hunk line votes for the start its position
 * implies wherever the file holds it — exactly (weighted by rarity: a unique line says more than
 * a lone `}`) or nearly (a renamed identifier, a changed literal). Without any vote, the header's
 * line is the best guess there is.
 */
export function nearestRegion(index: FileIndex, old: OldSide, hint: number | undefined): NearestRegion | undefined {
  const votes = new Map<number, number>();
  const vote = (start: number, weight: number): void => {
    votes.set(start, (votes.get(start) ?? 0) + weight);
  };
  let fileGrams: Set<string>[] | undefined;
  old.lines.forEach((line, k) => {
    if (line.loose.replace(/[\s{}()[\];,]/g, "").length < 2) return;
    const positions = index.looseIndex.get(line.loose);
    if (positions !== undefined) {
      for (const position of positions) vote(position - k, 1 / positions.length);
      return;
    }
    // Near misses cost a comparison per file line; on huge files the exact votes must do.
    if (index.lines.length * old.lines.length > maxComparisons) return;
    fileGrams ??= index.loose.map(bigrams);
    const grams = bigrams(line.loose);
    const near = fileGrams.flatMap((other, position) => {
      const score = dice(grams, other);
      return score >= similar ? [{ position, score }] : [];
    });
    for (const { position, score } of near) vote(position - k, (0.5 * score) / near.length);
  });
  let best: number | undefined;
  let bestScore = 0;
  for (const [start, score] of votes) {
    // Neighbouring starts count a little: a dropped or extra line shifts the rest by one.
    const smoothed = score + 0.5 * ((votes.get(start - 1) ?? 0) + (votes.get(start + 1) ?? 0));
    const tie = best !== undefined && Math.abs(smoothed - bestScore) < 1e-9;
    if ((smoothed > bestScore && !tie) || (tie && best !== undefined && closer(start, best, hint))) {
      best = start;
      bestScore = smoothed;
    }
  }
  if (best === undefined && hint !== undefined && hint < index.lines.length) best = hint;
  if (best === undefined) return undefined;
  const start = Math.max(0, best);
  const first = Math.max(0, start - margin);
  const last = Math.min(index.lines.length, start + old.lines.length + margin);
  const lines = index.lines.slice(first, last).map((text, offset) => ({ line: first + offset + 1, text }));
  return { first: start + 1, last: Math.min(index.lines.length, start + old.lines.length), window: { startLine: first + 1, endLine: last, lines } };
}

/** Between equally good starts, the one nearer the header's line (or the earlier one) wins. */
function closer(start: number, best: number, hint: number | undefined): boolean {
  if (hint === undefined) return start < best;
  const distance = Math.abs(start - hint) - Math.abs(best - hint);
  return distance < 0 || (distance === 0 && start < best);
}

function bigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i < text.length - 1; i += 1) grams.add(text.slice(i, i + 2));
  return grams;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}
