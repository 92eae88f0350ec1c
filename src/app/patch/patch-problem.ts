/**
 * Why a patch (or one hunk of it) is refused. The shape is promised to evolve's repair round and
 * to `grompt patch apply --json`: add fields, never rename or drop one.
 */
export const refusalReasons = [
  // the answer as a whole
  "input-empty",
  "input-too-large",
  "input-not-utf8",
  "no-diff-found",
  // a file patch
  "hunk-without-file",
  "binary-patch",
  "unsupported-mode",
  "path-absolute",
  "path-parent",
  "path-git-dir",
  "path-invalid",
  "path-escapes-root",
  "path-is-symlink",
  "path-is-directory",
  "file-missing",
  "file-exists",
  "file-not-text",
  "names-differ",
  "malformed",
  // a hunk
  "context-not-found",
  "placeholder",
  "ambiguous",
  "indentation-ambiguous",
  "no-context",
  "overlapping-hunks",
  "already-applied",
  "delete-mismatch",
] as const;

export type RefusalReason = (typeof refusalReasons)[number];

/** A line of the tree, 1-based. */
export interface NumberedLine {
  line: number;
  text: string;
}

export interface PatchProblem {
  reason: RefusalReason;
  /** One human sentence; says what to change. */
  message: string;
  /** The file as the diff names it (relative POSIX path) when the problem belongs to one. */
  path?: string;
  /** 1-based index of the hunk within its file's diff. */
  hunk?: number;
  /** The hunk's `@@` line as written. */
  header?: string;
  /** 1-based line of the answer where the file header or hunk starts. */
  answerLine?: number;
  /** Hunk lines (context or removed) that the file does not contain. */
  missing?: { text: string; answerLine: number }[];
  /** The file's real lines where the hunk fits best, with line numbers. */
  nearest?: { startLine: number; endLine: number; lines: NumberedLine[] };
  /** 1-based lines where the hunk fits equally well (ambiguous). */
  candidates?: number[];
}

export interface PatchFailure {
  /** `no_diff_found` when the answer holds no diff at all; otherwise `patch_not_applicable`. */
  code: "patch_not_applicable" | "no_diff_found";
  /** One line summing up every problem. */
  message: string;
  problems: PatchProblem[];
}
