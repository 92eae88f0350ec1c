/** A hunk line and the file line it matched, when whitespace was ignored to match them. */
export interface IndentPair {
  hunk: string;
  file: string;
}

const leading = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? "";

/**
 * When a hunk's context matched only after ignoring indentation (the model re-indented it, or
 * wrote spaces for the file's tabs), its added lines carry the same mistake. Learn how the hunk's
 * indentation maps to the file's from the matched pairs and rewrite the added lines — but only
 * where the mapping is unambiguous; a line it cannot map keeps its indentation as written.
 */
export function reindentAddedLines(pairs: readonly IndentPair[], added: readonly string[]): { lines: string[]; changed: boolean } {
  const samples = pairs.filter((pair) => pair.hunk.trim() !== "" && pair.file.trim() !== "");
  if (samples.every((pair) => leading(pair.hunk) === leading(pair.file))) return { lines: [...added], changed: false };
  const mapping = learnMapping(samples);
  if (mapping === undefined) return { lines: [...added], changed: false };
  let changed = false;
  const lines = added.map((line) => {
    if (line.trim() === "") return line;
    const indent = mapping(leading(line));
    if (indent === undefined) return line;
    const next = indent + line.slice(leading(line).length);
    if (next !== line) changed = true;
    return next;
  });
  return { lines, changed };
}

type Mapping = (hunkIndent: string) => string | undefined;

function learnMapping(samples: readonly IndentPair[]): Mapping | undefined {
  // Exact knowledge first: the same hunk indentation always became the same file indentation.
  const seen = new Map<string, string>();
  for (const { hunk, file } of samples) {
    const known = seen.get(leading(hunk));
    if (known !== undefined && known !== leading(file)) return undefined;
    seen.set(leading(hunk), leading(file));
  }
  const linear = learnLinear(samples);
  return (indent) => seen.get(indent) ?? linear?.(indent);
}

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
