import type { HunkHeader } from "./parse-hunk-header";
import type { HunkLine } from "./parsed-diff";

export interface BodyOptions {
  header: HunkHeader;
  /** Inside a ```diff fence: unprefixed lines are context. */
  lenient: boolean;
  /** Answer line of `lines[0]`, so every hunk line knows where it came from. */
  firstLine: number;
}

export interface HunkBody {
  lines: HunkLine[];
  /** Index of the first line after the body. */
  end: number;
  oldEndsWithoutNewline: boolean;
  newEndsWithoutNewline: boolean;
}

type LineKind = HunkLine["kind"] | "marker" | "other";

/**
 * Reads a hunk's body starting at `start`. The header's counts decide where it ends only when they
 * agree with the text around it; otherwise the body runs to the next header or prose line, and
 * blank lines at its end are dropped (they separate, they are not context).
 */
export function readHunkBody(lines: readonly string[], start: number, options: BodyOptions): HunkBody {
  return readCounted(lines, start, options) ?? readUntilBoundary(lines, start, options);
}

/** A line that starts something else: a hunk, a file header, an svn `Index:` block. */
export function isBoundary(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? "";
  if (line.startsWith("@@") || line.startsWith("diff --git ") || /^diff (-\S+ )+\S+ \S+$/.test(line)) return true;
  if (line.startsWith("--- ") && (lines[index + 1] ?? "").startsWith("+++ ")) return true;
  return line.startsWith("Index: ") && /^(====|--- )/.test(lines[index + 1] ?? "");
}

function startsHunkOrFile(line: string): boolean {
  return line.startsWith("@@") || line.startsWith("diff --git ") || line.startsWith("Index: ");
}

function kindOf(line: string, lenient: boolean): LineKind {
  switch (line[0]) {
    case " ":
    case undefined:
      return "context";
    case "-":
      return "remove";
    case "+":
      return "add";
    case "\\":
      return "marker";
    case "\t":
      // A tab-indented context line whose leading space was lost.
      return "context";
    default:
      // Inside a ```diff fence a line with no prefix can only be context that lost its space.
      return lenient ? "context" : "other";
  }
}

function textOf(line: string, kind: LineKind): string {
  if (line === "") return "";
  return kind === "context" && line[0] !== " " ? line : line.slice(1);
}

function readCounted(lines: readonly string[], start: number, options: BodyOptions): HunkBody | undefined {
  const { header, lenient } = options;
  if (header.oldCount === undefined || header.newCount === undefined) return undefined;
  const body = emptyBody(start);
  let old = 0;
  let neu = 0;
  let index = start;
  while (old < header.oldCount || neu < header.newCount) {
    // A removed "-- x" followed by an added "++ y" looks like a file header; the counts say it is not.
    if (index >= lines.length || startsHunkOrFile(lines[index] ?? "")) return undefined;
    const line = lines[index] ?? "";
    const kind = kindOf(line, lenient);
    if (kind === "other") return undefined;
    if (kind === "marker") markNoNewline(body);
    else {
      if (kind !== "add") old += 1;
      if (kind !== "remove") neu += 1;
      body.lines.push({ kind, text: textOf(line, kind), answerLine: options.firstLine + index });
    }
    index += 1;
  }
  if (old !== header.oldCount || neu !== header.newCount) return undefined;
  while ((lines[index] ?? "").startsWith("\\")) {
    markNoNewline(body);
    index += 1;
  }
  body.end = index;
  return endsNaturally(lines, index, lenient) ? body : undefined;
}

/** After a correctly counted hunk comes the end, a header, prose, or blank lines then one of those. */
function endsNaturally(lines: readonly string[], index: number, lenient: boolean): boolean {
  let cursor = index;
  while (cursor < lines.length && lines[cursor] === "") cursor += 1;
  if (cursor >= lines.length || isBoundary(lines, cursor)) return true;
  return kindOf(lines[cursor] ?? "", lenient) === "other";
}

function readUntilBoundary(lines: readonly string[], start: number, options: BodyOptions): HunkBody {
  const { lenient } = options;
  const body = emptyBody(start);
  let index = start;
  while (index < lines.length && !isBoundary(lines, index)) {
    const line = lines[index] ?? "";
    const kind = kindOf(line, lenient);
    if (kind === "other") break;
    if (kind === "marker") markNoNewline(body);
    else body.lines.push({ kind, text: textOf(line, kind), answerLine: options.firstLine + index });
    index += 1;
  }
  let end = index;
  while (body.lines.length > 0 && lines[end - 1] === "") {
    body.lines.pop();
    end -= 1;
  }
  body.end = index;
  return body;
}

function emptyBody(start: number): HunkBody {
  return { lines: [], end: start, oldEndsWithoutNewline: false, newEndsWithoutNewline: false };
}

/** `\ No newline at end of file` belongs to the line before it, on that line's side(s). */
function markNoNewline(body: HunkBody): void {
  const previous = body.lines[body.lines.length - 1];
  if (previous === undefined) return;
  if (previous.kind !== "add") body.oldEndsWithoutNewline = true;
  if (previous.kind !== "remove") body.newEndsWithoutNewline = true;
}
