import type { Source } from "./sources";

/** A real edit of a file's lines (LF, no endings): what the correct diff must achieve. */
export interface Edit {
  name: string;
  apply(lines: readonly string[], source: Source): string[];
}

/** Lines worth anchoring an edit on: unique, with some substance. */
function anchors(lines: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.trim(), (counts.get(line.trim()) ?? 0) + 1);
  return lines.flatMap((line, index) => (line.trim().length >= 8 && counts.get(line.trim()) === 1 && /\w{3,}/.test(line) ? [index] : []));
}

/** The anchor closest to a fraction of the file, away from its first and last lines. */
export function anchorNear(lines: readonly string[], fraction: number, avoid: readonly number[] = []): number {
  const target = Math.floor(lines.length * fraction);
  const usable = anchors(lines).filter((index) => index >= 2 && index < lines.length - 3 && avoid.every((other) => Math.abs(other - index) > 12));
  const best = usable.sort((x, y) => Math.abs(x - target) - Math.abs(y - target))[0];
  if (best === undefined) throw new Error(`no anchor near ${fraction}`);
  return best;
}

const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? "";

/** Renames the last identifier-like word of the line: a small, real change. */
export function changeLine(line: string): string {
  const words = [...line.matchAll(/[A-Za-z_][A-Za-z0-9_]{2,}/g)];
  const last = words[words.length - 1];
  if (last === undefined || last.index === undefined) return `${line} changed`;
  return `${line.slice(0, last.index)}${last[0]}Next${line.slice(last.index + last[0].length)}`;
}

function commentLines(source: Source, indent: string, words: readonly string[]): string[] {
  const prefix = source.comment === "" ? "" : `${source.comment} `;
  return words.map((text) => `${indent}${prefix}${text}`);
}

export const edits: Record<string, Edit> = {
  "change-line": {
    name: "change-line",
    apply(lines) {
      const at = anchorNear(lines, 0.4);
      return lines.map((line, index) => (index === at ? changeLine(line) : line));
    },
  },
  "insert-lines": {
    name: "insert-lines",
    apply(lines, source) {
      const at = anchorNear(lines, 0.6);
      const inserted = commentLines(source, indentOf(lines[at] ?? ""), ["grompt: the next step must stay in sync with the docs", "grompt: see DESIGN.md section 8"]);
      return [...lines.slice(0, at + 1), ...inserted, ...lines.slice(at + 1)];
    },
  },
  "delete-lines": {
    name: "delete-lines",
    apply(lines) {
      const at = anchorNear(lines, 0.3);
      return [...lines.slice(0, at), ...lines.slice(at + 2)];
    },
  },
  "replace-block": {
    name: "replace-block",
    apply(lines, source) {
      const at = anchorNear(lines, 0.5);
      const replacement = [changeLine(lines[at] ?? ""), ...commentLines(source, indentOf(lines[at] ?? ""), ["grompt: two lines folded into this one"])];
      return [...lines.slice(0, at), ...replacement, ...lines.slice(at + 3)];
    },
  },
  "three-hunks": {
    name: "three-hunks",
    apply(lines, source) {
      const first = anchorNear(lines, 0.15);
      const second = anchorNear(lines, 0.5, [first]);
      const third = anchorNear(lines, 0.85, [first, second]);
      return lines.flatMap((line, index) => {
        if (index === first) return [changeLine(line)];
        if (index === second) return [line, ...commentLines(source, indentOf(line), ["grompt: inserted between two real lines"])];
        if (index === third) return [];
        return [line];
      });
    },
  },
  "append-end": {
    name: "append-end",
    apply(lines, source) {
      return [...lines, ...commentLines(source, "", ["grompt: appended at the end of the file"])];
    },
  },
  "first-line": {
    name: "first-line",
    apply(lines) {
      return [changeLine(lines[0] ?? ""), ...lines.slice(1)];
    },
  },
};
