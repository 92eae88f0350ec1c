import type { RefusalReason } from "../../../src/app/patch";

/** One corpus case: a tree, a model answer, and what must come of it. */
export interface CorpusCase {
  name: string;
  expect: "applied" | "refused";
  /** A correct git-style diff with nothing around it: what `git apply` is compared on. */
  clean: boolean;
  /** The tolerances (or refusal) the case exercises, e.g. "no-line-numbers", "crlf-file". */
  tags: string[];
  /** The tree before: relative path → content. */
  files: Record<string, string | Uint8Array>;
  /** Permission bits of files that are not 0o644. */
  modes?: Record<string, number>;
  /** Symbolic links to create: path → target; "@outside" is a directory outside the root. */
  symlinks?: Record<string, string>;
  /** Directories to create (empty ones). */
  directories?: string[];
  /** The answer; a function for inputs too large to keep around. */
  answer: string | Uint8Array | (() => string | Uint8Array);
  /** The whole tree after (applied cases). */
  expected?: Record<string, string | Uint8Array>;
  expectedModes?: Record<string, number>;
  /** The reason the engine must give (refused cases). */
  reason?: RefusalReason;
}
