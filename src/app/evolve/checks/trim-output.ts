export interface TrimOptions {
  /** Output at most this long (in lines) is kept whole. */
  maxLines?: number;
  /** How many lines that look like problems are kept from the start. */
  firstProblems?: number;
  /** How many of the last lines are kept (summaries live there). */
  tail?: number;
  /** Hard cap on the result, in characters. */
  maxChars?: number;
}

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC.
const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const problemLine = /\b(error|Error|ERROR|FAIL|failed|Failed|panic)\b|✗|×|\(\d+,\d+\)|:\d+:\d+/;
const maxLineChars = 400;

/** Colours removed, CRLF made LF, trailing blank lines dropped. */
export const cleanOutput = (text: string): string => text.replace(ansi, "").replace(/\r\n?/g, "\n").replace(/\s+$/, "");

/**
 * A check's output cut down to what a person or a model needs: short output whole; long output as
 * its first lines that look like problems (errors, FAIL lines, `file(line,col)`, `file:line:col`),
 * each with the indented lines that continue it, plus its last lines, in their original order,
 * with a marker where lines were left out.
 */
export function trimOutput(text: string, options: TrimOptions = {}): string {
  const maxLines = options.maxLines ?? 80;
  const maxChars = options.maxChars ?? 8000;
  const lines = cleanOutput(text)
    .split("\n")
    .map((line) => (line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line));
  if (lines.length <= maxLines && lines.join("\n").length <= maxChars) return lines.join("\n");

  const keep = new Set<number>();
  let problems = 0;
  for (let index = 0; index < lines.length && problems < (options.firstProblems ?? 40); index += 1) {
    if (!problemLine.test(lines[index] ?? "")) continue;
    problems += 1;
    keep.add(index);
    // Continuation lines (indented) belong to the problem above them.
    for (let next = index + 1; next < Math.min(lines.length, index + 4) && /^\s+\S/.test(lines[next] ?? ""); next += 1) keep.add(next);
  }
  const tail = options.tail ?? 20;
  for (let index = Math.max(0, lines.length - tail); index < lines.length; index += 1) keep.add(index);

  const kept = [...keep].sort((a, b) => a - b);
  const out: string[] = [];
  let previous = -1;
  for (const index of kept) {
    if (index > previous + 1) out.push(`… (${index - previous - 1} lines left out)`);
    out.push(lines[index] ?? "");
    previous = index;
  }
  let result = out.join("\n");
  // Still too long: keep the start and the end of what was kept.
  if (result.length > maxChars) {
    const half = Math.floor(maxChars / 2) - 40;
    result = `${result.slice(0, half)}\n… (${result.length - 2 * half} characters left out)\n${result.slice(-half)}`;
  }
  return result;
}
