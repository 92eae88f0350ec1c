/** A hunk line and the file line it matched. */
export interface IndentPair {
  hunk: string;
  file: string;
}

export interface Reindented {
  lines: string[];
  changed: boolean;
  /** Added lines (0-based, among the added ones) whose indentation cannot be mapped without guessing. */
  unresolved: number[];
}

const leading = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? "";

/**
 * When a hunk's context matched only after ignoring indentation (the model re-indented it, or
 * wrote spaces for the file's tabs), its added lines carry the same mistake. Learn how the hunk's
 * indentation maps to the file's from the matched pairs and rewrite the added lines. A line whose
 * indentation maps to two different file indentations, or to none, is reported unresolved.
 */
export function reindentAddedLines(pairs: readonly IndentPair[], added: readonly string[]): Reindented {
  const samples = pairs.filter((pair) => pair.hunk.trim() !== "" && pair.file.trim() !== "");
  if (samples.every((pair) => leading(pair.hunk) === leading(pair.file))) return { lines: [...added], changed: false, unresolved: [] };
  const seen = new Map<string, Set<string>>();
  for (const { hunk, file } of samples) seen.set(leading(hunk), (seen.get(leading(hunk)) ?? new Set()).add(leading(file)));
  const linear = learnLinear(samples);
  const unresolved: number[] = [];
  let changed = false;
  const lines = added.map((line, position) => {
    if (line.trim() === "") return line;
    const known = seen.get(leading(line));
    const indent = known === undefined ? linear?.(leading(line)) : known.size === 1 ? [...known][0] : undefined;
    if (indent === undefined) {
      unresolved.push(position);
      return line;
    }
    const next = indent + line.slice(leading(line).length);
    if (next !== line) changed = true;
    return next;
  });
  return { lines, changed, unresolved };
}

type Mapping = (hunkIndent: string) => string | undefined;

/** file width = a × hunk width + b, in the file's single indent character; checked on every sample. */
function learnLinear(samples: readonly IndentPair[]): Mapping | undefined {
  const fileChars = new Set(samples.flatMap(({ file }) => [...leading(file)]));
  if (fileChars.size > 1) return undefined;
  const hunkChars = new Set(samples.flatMap(({ hunk }) => [...leading(hunk)]));
  const fileChar = [...fileChars][0] ?? [...hunkChars][0] ?? " ";
  const points = samples.map(({ hunk, file }) => ({ x: width(leading(hunk)), y: leading(file).length }));
  const distinct = [...new Map(points.map((p) => [p.x, p])).values()];
  let a: number;
  let b: number;
  const [first, second] = distinct;
  if (first === undefined) return undefined;
  if (second !== undefined) {
    a = (second.y - first.y) / (second.x - first.x);
    b = first.y - a * first.x;
  } else if (hunkChars.size <= 1 && ([...hunkChars][0] ?? fileChar) === fileChar) {
    // One indentation level seen, same character: the model shifted everything by a constant.
    a = 1;
    b = first.y - first.x;
  } else if (first.x > 0) {
    // One level seen, another character (spaces for tabs): scale.
    a = first.y / first.x;
    b = 0;
  } else {
    return undefined;
  }
  if (!(a > 0) || !points.every((p) => a * p.x + b === p.y)) return undefined;
  return (indent) => {
    const size = a * width(indent) + b;
    return Number.isInteger(size) && size >= 0 ? fileChar.repeat(size) : undefined;
  };
}

/** Columns of an indentation, a tab counting four (the hunk's own tabs, rare, are scaled anyway). */
function width(indent: string): number {
  let columns = 0;
  for (const char of indent) columns += char === "\t" ? 4 : 1;
  return columns;
}
