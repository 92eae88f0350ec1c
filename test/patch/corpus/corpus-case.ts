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

/** Replaces the one occurrence of `needle`; a fixture that drifted from its source fails loudly. */
export function replaceOnce(haystack: string, needle: string, replacement: string): string {
  const first = haystack.indexOf(needle);
  if (first === -1 || haystack.indexOf(needle, first + 1) !== -1) throw new Error(`expected exactly one ${JSON.stringify(needle)}`);
  return haystack.slice(0, first) + replacement + haystack.slice(first + needle.length);
}

/** Replaces the n-th (1-based) occurrence of `needle`. */
export function replaceNth(haystack: string, needle: string, replacement: string, n: number): string {
  let at = -1;
  for (let seen = 0; seen < n; seen += 1) {
    at = haystack.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`fewer than ${n} occurrences of ${JSON.stringify(needle)}`);
  }
  return haystack.slice(0, at) + replacement + haystack.slice(at + needle.length);
}

export const fenced = (diff: string, info = "diff"): string => `\`\`\`${info}\n${diff.endsWith("\n") ? diff : `${diff}\n`}\`\`\`\n`;

/** Lines of a text as `+` lines (a new file's hunk body). */
export const asAdded = (text: string): string =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => `+${line}`)
    .join("\n");

/** Lines of a text as `-` lines (a deleted file's hunk body). */
export const asRemoved = (text: string): string =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => `-${line}`)
    .join("\n");

export const lineCount = (text: string): number => text.replace(/\n$/, "").split("\n").length;
