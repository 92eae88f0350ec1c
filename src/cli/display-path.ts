import { isAbsolute, relative } from "node:path";

/** A path relative to the working directory when it lies inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? inside : file;
}

/** Left-aligned columns separated by two spaces; the last column is never padded. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join("  ").trimEnd()).join("\n");
}
