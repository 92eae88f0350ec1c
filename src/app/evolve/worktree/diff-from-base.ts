import { rm } from "node:fs/promises";
import type { Worktree } from "./create-worktree";
import { runGit } from "./run-git";

/**
 * The worktree's change as git itself writes it: the touched paths are staged into a temporary
 * index over the untouched tree, and `git diff --binary --full-index` compares the two trees — new
 * files, deletions, modes and binary content included. Paths are relative to the repository's top
 * level (as in any git patch), so `git apply` takes it anywhere in the user's original tree.
 */
export async function diffFromBase(worktree: Worktree, touched: readonly string[], signal?: AbortSignal): Promise<string> {
  if (touched.length === 0) return "";
  const indexFile = `${worktree.root}.index`;
  const git = { cwd: worktree.root, env: { ...worktree.git.env, GIT_INDEX_FILE: indexFile } };
  try {
    await runGit(git, ["read-tree", worktree.baseTree], { signal });
    const paths = touched.map((path) => (worktree.prefix === "" ? path : `${worktree.prefix}/${path}`));
    await runGit(git, ["add", "--all", "--force", "--pathspec-from-file=-", "--pathspec-file-nul"], { input: paths.join("\0"), signal });
    const tree = ((await runGit(git, ["write-tree"], { signal })) ?? "").trim();
    const args = ["diff", "--binary", "--full-index", "--no-renames", "--no-ext-diff", "--no-textconv", "--unified=3", "--src-prefix=a/", "--dst-prefix=b/", worktree.baseTree, tree];
    return (await runGit(git, args, { signal })) ?? "";
  } finally {
    await rm(indexFile, { force: true });
  }
}
