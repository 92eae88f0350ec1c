/**
 * What the tolerant parser makes of a model's diff: file patches with their hunks, exactly as
 * written (paths still raw, line numbers only hints). Nothing here has looked at the tree yet.
 */

/** One line of a hunk body. `text` has no prefix and no line ending. */
export interface HunkLine {
  kind: "context" | "remove" | "add";
  text: string;
  /** 1-based line of the answer this line came from. */
  answerLine: number;
}

export interface ParsedHunk {
  /** The `@@` line as written. */
  header: string;
  /** 1-based line of the `@@` header in the answer. */
  answerLine: number;
  /** Line numbers from the header; absent when the model wrote `@@ ... @@` or left them out. */
  oldStart?: number;
  oldCount?: number;
  newStart?: number;
  newCount?: number;
  lines: HunkLine[];
  /** `\ No newline at end of file` after the last old-side (context or removed) line. */
  oldEndsWithoutNewline: boolean;
  /** `\ No newline at end of file` after the last new-side (context or added) line. */
  newEndsWithoutNewline: boolean;
}

/** A path as written in a header: raw text plus whether it carried a git `a/` or `b/` prefix. */
export interface DiffPath {
  raw: string;
  /** `raw` without its `a/` or `b/` prefix (equal to `raw` when there was none). */
  stripped: string;
}

export interface ParsedFilePatch {
  /** 1-based line of the first header line of this file in the answer. */
  answerLine: number;
  /** `null` when the old side is `/dev/null` (a new file). */
  oldPath: DiffPath | null;
  /** `null` when the new side is `/dev/null` (a deleted file). */
  newPath: DiffPath | null;
  /** Git extended headers, when present. */
  isNew: boolean;
  isDeleted: boolean;
  renameFrom?: DiffPath;
  renameTo?: DiffPath;
  copyFrom?: DiffPath;
  copyTo?: DiffPath;
  oldMode?: string;
  newMode?: string;
  /** `Binary files ... differ` or `GIT binary patch`. */
  isBinary: boolean;
  hunks: ParsedHunk[];
}

/** A region of the answer that holds diff text (a fenced block, or the text around the fences). */
export interface DiffBlock {
  text: string;
  /** 1-based line of the answer where `text` starts. */
  startLine: number;
  /** From a ```diff / ```patch fence: lines with no prefix inside a hunk are taken as context. */
  fenced: boolean;
  /** A path named in the fence's info string (```diff src/a.ts), used by hunks with no file header. */
  pathHint?: string;
  /** Answer line of a closing fence that diff lines follow: the diff was cut short there. */
  closedEarlyAt?: number;
}
