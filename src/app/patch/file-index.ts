/**
 * A file's lines indexed two ways, built once per file: exactly, and with whitespace ignored
 * (leading, trailing, tabs vs spaces, runs of spaces), which is how models most often get a line
 * "wrong" while still meaning it.
 */
export interface FileIndex {
  lines: readonly string[];
  loose: readonly string[];
  exact: ReadonlyMap<string, number[]>;
  looseIndex: ReadonlyMap<string, number[]>;
}

export const looseForm = (line: string): string => line.trim().replace(/\s+/g, " ");

export function indexLines(lines: readonly string[]): FileIndex {
  const loose = lines.map(looseForm);
  return { lines, loose, exact: positions(lines), looseIndex: positions(loose) };
}

function positions(lines: readonly string[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  lines.forEach((line, index) => {
    const list = map.get(line);
    if (list === undefined) map.set(line, [index]);
    else list.push(index);
  });
  return map;
}
