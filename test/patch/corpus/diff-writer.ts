import { structuredPatch } from "diff";

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Prefixed lines, `\ No newline at end of file` included. */
  lines: string[];
}

export interface DiffFile {
  /** Null for /dev/null. */
  oldPath: string | null;
  newPath: string | null;
  hunks: DiffHunk[];
  /** Git extended header lines (new file mode, rename from, ...). */
  extended?: string[];
}

export interface RenderOptions {
  /** `diff --git` and `index` lines (default true). */
  git?: boolean;
  /** `a/` and `b/` prefixes (default true). */
  prefixes?: boolean;
  /** How hunk headers look: `@@ -1,3 +1,4 @@`, `@@ ... @@`, `@@` or `@@ -1 +1 @@`. */
  header?: "numbers" | "dots" | "bare" | "no-counts";
  /** A tab and a timestamp after each ---/+++ name, as `diff -u` writes. */
  timestamps?: boolean;
}

/** The correct hunks between two texts (3 lines of context), computed by jsdiff (`diff@9`). */
export function hunksBetween(before: string, after: string): DiffHunk[] {
  return structuredPatch("a", "b", before, after, undefined, undefined, { context: 3 }).hunks.map((hunk) => ({ ...hunk, lines: [...hunk.lines] }));
}

export function renderDiff(files: readonly DiffFile[], options: RenderOptions = {}): string {
  const out: string[] = [];
  const git = options.git ?? true;
  const prefixed = (prefix: string, path: string | null): string => (path === null ? "/dev/null" : `${options.prefixes === false ? "" : prefix}${path}`);
  const stamp = options.timestamps === true ? "\t2025-11-20 10:31:07.000000000 +0100" : "";
  for (const file of files) {
    const name = file.newPath ?? file.oldPath ?? "";
    if (git) out.push(`diff --git ${prefixed("a/", file.oldPath ?? name)} ${prefixed("b/", file.newPath ?? name)}`);
    if (git) out.push(...(file.extended ?? []));
    if (git && file.extended === undefined) out.push("index 3f2a9c1..8be04d7 100644");
    if (file.hunks.length > 0) {
      out.push(`--- ${prefixed("a/", file.oldPath)}${stamp}`, `+++ ${prefixed("b/", file.newPath)}${stamp}`);
    }
    for (const hunk of file.hunks) out.push(hunkHeader(hunk, options.header ?? "numbers"), ...hunk.lines);
  }
  return `${out.join("\n")}\n`;
}

function hunkHeader(hunk: DiffHunk, style: NonNullable<RenderOptions["header"]>): string {
  if (style === "dots") return "@@ ... @@";
  if (style === "bare") return "@@";
  if (style === "no-counts") return `@@ -${hunk.oldStart} +${hunk.newStart} @@`;
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}
