import { type DiffSegment, diffSegments } from "./diff-segments";
import { isElisionPlaceholder } from "./elision";

export interface DiffFileSummary {
  /** Repository-relative path before the change; null for a new file (`/dev/null`). */
  oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  newPath: string | null;
  kind: "modify" | "create" | "delete" | "rename";
  hunks: number;
  added: number;
  removed: number;
  /** 1-based line of the answer where this file's header starts. */
  line: number;
}

export interface DiffProblem {
  /** 1-based line of the answer. */
  line: number;
  message: string;
}

export interface DiffInspection {
  /** At least one file header was found. */
  found: boolean;
  files: DiffFileSummary[];
  problems: DiffProblem[];
}

/**
 * A light structural read of the unified diff in a model's answer: file headers, hunks, line
 * prefixes, paths that stay inside the repository, no "... existing code ..." placeholders. It does
 * not locate hunks in files — applying is the patch engine's job.
 */
export function inspectDiff(answer: string): DiffInspection {
  const files: DiffFileSummary[] = [];
  const problems: DiffProblem[] = [];
  for (const segment of diffSegments(answer)) readSegment(segment, files, problems);
  return { found: files.length > 0, files, problems };
}

const hunkHeader = /^@@(?:\s.*)?$/;
const gitHeader = /^diff --git (?:"?a\/)?(.+?)"? (?:"?b\/)?(.+?)"?$/;
const gitExtended = /^(index |new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename from |rename to |copy from |copy to )/;

function readSegment(segment: DiffSegment, files: DiffFileSummary[], problems: DiffProblem[]): void {
  let file: (DiffFileSummary & { hunkLines: { keepsOrRemoves: boolean; adds: boolean } }) | undefined;
  let inHunk = false;
  let git: { old: string; new: string; line: number; rename: boolean } | undefined;

  const finish = (): void => {
    if (file !== undefined) {
      if (file.hunks === 0) problems.push({ line: file.line, message: `${label(file)} has a header but no hunk (\`@@ ... @@\` followed by changed lines)` });
      if (file.kind === "create" && file.hunkLines.keepsOrRemoves) problems.push({ line: file.line, message: `new file ${file.newPath ?? ""} must consist of \`+\` lines only` });
      if (file.kind === "delete" && file.hunkLines.adds) problems.push({ line: file.line, message: `deleted file ${file.oldPath ?? ""} must consist of \`-\` lines only` });
      const { hunkLines: _ignored, ...summary } = file;
      files.push(summary);
    } else if (git?.rename === true) {
      files.push({ oldPath: git.old, newPath: git.new, kind: "rename", hunks: 0, added: 0, removed: 0, line: git.line });
    }
    file = undefined;
    git = undefined;
    inHunk = false;
  };

  for (let index = 0; index < segment.lines.length; index++) {
    const line = segment.lines[index] ?? "";
    const at = segment.firstLine + index;
    const next = segment.lines[index + 1];
    const gitMatch = gitHeader.exec(line);
    if (gitMatch !== null) {
      finish();
      git = { old: gitMatch[1] ?? "", new: gitMatch[2] ?? "", line: at, rename: false };
      continue;
    }
    if (git !== undefined && file === undefined && gitExtended.test(line)) {
      if (line.startsWith("rename ")) git.rename = true;
      continue;
    }
    if (/^(GIT binary patch|Binary files )/.test(line)) {
      problems.push({ line: at, message: "binary patches are not supported; change text files only" });
      continue;
    }
    if (line.startsWith("--- ") && next?.startsWith("+++ ") === true) {
      const headerLine = git?.line ?? at;
      finish();
      const paths = headerPaths(line.slice(4), next.slice(4));
      for (const problem of pathProblems(paths)) problems.push({ line: at, message: problem });
      file = {
        ...paths,
        kind: paths.oldPath === null ? "create" : paths.newPath === null ? "delete" : paths.oldPath === paths.newPath ? "modify" : "rename",
        hunks: 0,
        added: 0,
        removed: 0,
        line: headerLine,
        hunkLines: { keepsOrRemoves: false, adds: false },
      };
      index++;
      continue;
    }
    if (hunkHeader.test(line)) {
      if (file === undefined) {
        problems.push({ line: at, message: "a hunk (`@@`) comes before any `--- path` / `+++ path` header" });
        continue;
      }
      file.hunks++;
      inHunk = true;
      continue;
    }
    if (file !== undefined && inHunk && isHunkLine(line)) {
      const mark = line[0];
      if (mark === "+") {
        file.added++;
        file.hunkLines.adds = true;
      } else if (mark === "-") {
        file.removed++;
        file.hunkLines.keepsOrRemoves = true;
      } else if (mark === " ") {
        file.hunkLines.keepsOrRemoves = true;
      }
      if ((mark === "+" || mark === " ") && isElisionPlaceholder(line.slice(1))) {
        problems.push({ line: at, message: `elided code (${JSON.stringify(line.slice(1).trim())}): write out every line instead of a placeholder` });
      }
      continue;
    }
    if (file !== undefined && segment.fenced && line.trim() !== "") {
      problems.push({ line: at, message: `${JSON.stringify(truncate(line))} is not diff syntax: hunk lines start with a space, \`+\` or \`-\`` });
      continue;
    }
    // Prose around a bare diff ends the current file.
    if (file !== undefined && !segment.fenced && line.trim() !== "") finish();
  }
  finish();
}

const isHunkLine = (line: string): boolean => line === "" || line.startsWith(" ") || line.startsWith("+") || line.startsWith("-") || line.startsWith("\\");

function headerPaths(oldRaw: string, newRaw: string): { oldPath: string | null; newPath: string | null } {
  const clean = (raw: string): string => raw.split("\t")[0]?.trim().replace(/^"(.*)"$/, "$1") ?? "";
  const oldClean = clean(oldRaw);
  const newClean = clean(newRaw);
  // git's a/ and b/ prefixes are stripped only when the header uses them consistently.
  const prefixed = (oldClean.startsWith("a/") || oldClean === "/dev/null") && (newClean.startsWith("b/") || newClean === "/dev/null");
  const strip = (path: string): string | null => (path === "/dev/null" ? null : prefixed ? path.slice(2) : path);
  return { oldPath: strip(oldClean), newPath: strip(newClean) };
}

function pathProblems(paths: { oldPath: string | null; newPath: string | null }): string[] {
  if (paths.oldPath === null && paths.newPath === null) return ["both sides of the file header are /dev/null"];
  const problems: string[] = [];
  for (const path of new Set([paths.oldPath, paths.newPath])) {
    if (path === null) continue;
    if (path === "") problems.push("a file header has no path");
    else if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) problems.push(`${path} is an absolute path; use the path relative to the repository root`);
    else if (path.split(/[\\/]/).includes("..")) problems.push(`${path} leaves the repository (\`..\`)`);
  }
  return problems;
}

const label = (file: DiffFileSummary): string => file.newPath ?? file.oldPath ?? "a file";
const truncate = (line: string): string => (line.length > 60 ? `${line.slice(0, 57)}...` : line);
