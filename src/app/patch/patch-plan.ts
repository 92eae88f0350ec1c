/**
 * A planned patch: every file's new bytes computed in memory, plus a report of how each hunk was
 * placed. Nothing is written until `applyPlan` runs. The report shape is promised to evolve and to
 * `grompt patch apply --json`: add fields, never rename or drop one.
 */

/**
 * How a hunk was placed:
 * - `exact`: every line matched where the header said;
 * - `offset`: every line matched, at another line than the header said (or it gave none);
 * - `whitespace`: some lines matched only when whitespace is ignored (trailing, re-indented, tabs);
 * - `dropped-context`: the file has lines the hunk left out between its context lines, or the hunk
 *   has blank context lines the file lacks;
 * - `new-file` / `deleted-file`: the hunk is a whole file's content.
 */
export type HunkStrategy = "exact" | "offset" | "whitespace" | "dropped-context" | "new-file" | "deleted-file";

export const hunkStrategies: readonly HunkStrategy[] = ["exact", "offset", "whitespace", "dropped-context", "new-file", "deleted-file"];

export interface HunkReport {
  /** 1-based index of the hunk within its file's diff. */
  hunk: number;
  header: string;
  answerLine: number;
  strategy: HunkStrategy;
  /** 1-based line of the file (before the patch) where the hunk's old side starts. */
  line: number;
  /** The line the header gave, or null for `@@ ... @@`. */
  hintLine: number | null;
  /** `line - hintLine`, or null without a hint. */
  offset: number | null;
  /** Lines matched only whitespace-tolerantly, plus lines skipped on either side. */
  fuzz: number;
  /** Added lines were re-indented to the file's real indentation. */
  reindented: boolean;
  added: number;
  removed: number;
}

export type FileOperation = "modify" | "create" | "delete" | "rename" | "copy";

export interface FileReport {
  /** Relative POSIX path the change writes (the new name for renames and copies). */
  path: string;
  /** The source of a rename or copy. */
  fromPath?: string;
  operation: FileOperation;
  /** Git file mode after the patch, when the diff sets one ("100644" or "100755"). */
  mode?: string;
  answerLine: number;
  hunks: HunkReport[];
  /** Tolerances worth knowing about ("creation inferred: no /dev/null header"). */
  notes: string[];
}

/** A file's content and permission bits. */
export interface FileState {
  bytes: Uint8Array;
  /** Permission bits (for example 0o644). */
  mode: number;
}

/** The final state of one path: the only thing the applier reads. */
export interface FileChange {
  /** Relative POSIX path under the plan's root. */
  path: string;
  /** What the planner saw; the applier refuses to write if the file changed since. */
  before: FileState | null;
  /** `null` deletes the file. */
  after: FileState | null;
}

export interface PatchStats {
  files: number;
  hunks: number;
  added: number;
  removed: number;
  strategies: Partial<Record<HunkStrategy, number>>;
}

export interface PatchPlan {
  /** Absolute, symlink-resolved root every path is relative to. */
  root: string;
  files: FileReport[];
  changes: FileChange[];
  stats: PatchStats;
}

export interface TouchedFile {
  path: string;
  action: "created" | "modified" | "deleted" | "mode-changed";
}
