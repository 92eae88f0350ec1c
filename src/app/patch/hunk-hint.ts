import type { ParsedHunk } from "./parsed-diff";

/** 0-based line where the header says the old side starts (`-N,0` inserts after line N). */
export function hintOf(hunk: ParsedHunk): number | undefined {
  if (hunk.oldStart === undefined) return undefined;
  return hunk.oldCount === 0 ? hunk.oldStart : Math.max(0, hunk.oldStart - 1);
}
