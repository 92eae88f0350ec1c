import { randomBytes } from "node:crypto";
import { mkdir, realpath, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, join, relative, resolve, sep } from "node:path";
import { copyEntry } from "./copy-entry";
import { copyTree } from "./copy-tree";
import { installFolderNames, isInstallFolder, linkInstallFolders, unlinkInstallFolders } from "./install-folders";
import { type GitContext, runGit, splitNul } from "./run-git";
import { findStaleWorktrees, recordPath, writeWorktreeRecord } from "./worktree-record";

/** A temporary copy of the user's project where patches are applied and checked. */
export interface Worktree {
  /** `git`: a detached `git worktree` at HEAD plus the uncommitted changes; `copy`: a plain copy. */
  kind: "git" | "copy";
  /** The copy of the repository's top level (of the directory itself, for a plain copy). */
  root: string;
  /** The job's directory inside it: where patches apply and checks run. */
  projectDir: string;
  /** `projectDir` relative to `root`, POSIX, "" at the top. */
  prefix: string;
  /** Install folders linked from the user's tree (relative to `root`). */
  links: string[];
  /** Uncommitted changes (modified, deleted, untracked files) copied over HEAD. */
  overlaid: number;
  /** Git tree id of the untouched worktree: patches are re-emitted against it. */
  baseTree: string;
  /** How to run git on the worktree (a private repository for plain copies). */
  git: GitContext;
  /** Deletes the worktree (links first, never their targets); safe to call twice. */
  remove(): Promise<void>;
}

export interface CreateWorktreeInput {
  /** The user's project directory (the job's cwd). */
  cwd: string;
  /** Where worktrees live (`$GROMPT_HOME/worktrees`). */
  root: string;
  /** Names the directory, for people looking at it. */
  label: string;
  /** Paths a plain copy must not enter (grompt's home, when it sits inside the project). */
  skip?: readonly string[];
  signal?: AbortSignal;
}

/** Folders never copied into a plain copy: version control and caches that only slow the copy down. */
const uncopied = new Set([".git", ".hg", ".svn", ".cache", ".turbo", ".next", ".nuxt", ".parcel-cache", ".svelte-kit", "coverage"]);

/**
 * Makes the worktree: inside a git work tree with at least one commit, `git worktree add --detach`
 * at HEAD, then the user's uncommitted changes on top (tracked modifications and deletions,
 * untracked files no ignore rule hides); anywhere else a plain copy. Install folders are linked.
 * Stale worktrees of dead runs are removed first.
 */
export async function createWorktree(input: CreateWorktreeInput): Promise<Worktree> {
  await mkdir(input.root, { recursive: true });
  await pruneStaleWorktrees(input.root);
  const dir = join(input.root, `${input.label}-${randomBytes(4).toString("hex")}`);
  const top = await gitTopLevel(input.cwd, input.signal);
  const record = { pid: process.pid, host: hostname(), links: [] as string[], createdAt: new Date().toISOString() };
  if (top !== undefined) {
    await writeWorktreeRecord(dir, { ...record, kind: "git", repository: top });
    try {
      return await gitWorktree(dir, top, input);
    } catch (error) {
      await removeWorktreeDir({ dir, kind: "git", repository: top, links: [] });
      throw error;
    }
  }
  await writeWorktreeRecord(dir, { ...record, kind: "copy" });
  try {
    return await plainCopy(dir, input);
  } catch (error) {
    await removeWorktreeDir({ dir, kind: "copy", links: [] });
    throw error;
  }
}

async function gitTopLevel(cwd: string, signal?: AbortSignal): Promise<string | undefined> {
  const top = await runGit({ cwd }, ["rev-parse", "--show-toplevel"], { allowFailure: true, signal });
  if (top === undefined) return undefined;
  // A repository without a commit has no HEAD to check out: copy it instead.
  const head = await runGit({ cwd }, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { allowFailure: true, signal });
  return head === undefined ? undefined : top.trim();
}

async function gitWorktree(dir: string, top: string, input: CreateWorktreeInput): Promise<Worktree> {
  const user: GitContext = { cwd: top };
  await runGit(user, ["worktree", "add", "--detach", "--quiet", dir, "HEAD"], { signal: input.signal });
  const git: GitContext = { cwd: dir };
  const changed = splitNul(await runGit(user, ["diff", "--name-only", "-z", "--no-renames", "HEAD"], { signal: input.signal }));
  const untracked = splitNul(await runGit(user, ["ls-files", "-z", "--others", "--exclude-standard"], { signal: input.signal }));
  // grompt's own home may sit inside the repository (untracked): it is never copied.
  const skipped = [input.root, ...(input.skip ?? [])].map((path) => relative(top, resolve(path)).split(sep).join("/")).filter((path) => path !== "" && !path.startsWith(".."));
  const inSkipped = (path: string) => skipped.some((dir) => path === dir || path.startsWith(`${dir}/`));
  const overlay = [...new Set([...changed, ...untracked])].filter((path) => installFolderOf(path) === undefined && !inSkipped(path));
  for (const path of overlay) await copyEntry(path, top, dir);
  if (overlay.length > 0) await runGit(git, ["add", "--all", "--force", "--pathspec-from-file=-", "--pathspec-file-nul"], { input: overlay.join("\0"), signal: input.signal });
  const ignoredDirs = splitNul(await runGit(user, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"], { signal: input.signal }));
  // Install folders are usually ignored; one that is not shows up as untracked files under it.
  const folders = [...ignoredDirs, ...untracked].map(installFolderOf).filter((path) => path !== undefined);
  const links = await linkInstallFolders([...new Set(folders)], top, dir);
  await writeWorktreeRecord(dir, { pid: process.pid, host: hostname(), kind: "git", repository: top, links, createdAt: new Date().toISOString() });
  const baseTree = ((await runGit(git, ["write-tree"], { signal: input.signal })) ?? "").trim();
  const prefix = relative(top, await realpath(input.cwd)).split(sep).join("/");
  return {
    kind: "git",
    root: dir,
    projectDir: join(dir, ...prefix.split("/").filter(Boolean)),
    prefix,
    links,
    overlaid: overlay.length,
    baseTree,
    git,
    remove: () => removeWorktreeDir({ dir, kind: "git", repository: top, links }),
  };
}

async function plainCopy(dir: string, input: CreateWorktreeInput): Promise<Worktree> {
  const source = resolve(input.cwd);
  const skip = new Set([input.root, ...(input.skip ?? [])].map((path) => resolve(path)));
  const installFolders: string[] = [];
  await copyTree(source, dir, {
    signal: input.signal,
    filter: (path, isDirectory) => {
      if (skip.has(path)) return false;
      const name = basename(path);
      // A linked node_modules (pnpm, this repository's demo) is an install folder too.
      if (installFolderNames.has(name)) {
        installFolders.push(relative(source, path).split(sep).join("/"));
        return false;
      }
      return !(isDirectory && uncopied.has(name));
    },
  });
  const links = await linkInstallFolders(installFolders, source, dir);
  await writeWorktreeRecord(dir, { pid: process.pid, host: hostname(), kind: "copy", links, createdAt: new Date().toISOString() });
  // A private repository beside the copy (never inside it), only to write trees and diff them.
  const gitDir = `${dir}.git`;
  const git: GitContext = { cwd: dir, env: { GIT_DIR: gitDir, GIT_WORK_TREE: dir } };
  await runGit(git, ["init", "--quiet"], { signal: input.signal });
  await writeFile(join(gitDir, "info", "exclude"), links.map((link) => `/${link}\n`).join(""));
  await runGit(git, ["add", "--all"], { signal: input.signal });
  const baseTree = ((await runGit(git, ["write-tree"], { signal: input.signal })) ?? "").trim();
  return { kind: "copy", root: dir, projectDir: dir, prefix: "", links, overlaid: 0, baseTree, git, remove: () => removeWorktreeDir({ dir, kind: "copy", links }) };
}

/** The install folder a path is in or names (`packages/a/node_modules`), if any. */
function installFolderOf(path: string): string | undefined {
  const segments = path.replace(/\/+$/, "").split("/");
  const at = segments.findIndex((segment) => isInstallFolder(segment));
  return at < 0 ? undefined : segments.slice(0, at + 1).join("/");
}

interface RemovableWorktree {
  dir: string;
  kind: "git" | "copy";
  repository?: string;
  links: readonly string[];
}

/** Unlinks the install folders, deletes the tree (through git for a git worktree) and its side files. */
async function removeWorktreeDir(worktree: RemovableWorktree): Promise<void> {
  await unlinkInstallFolders(worktree.links, worktree.dir);
  if (worktree.kind === "git" && worktree.repository !== undefined) {
    await runGit({ cwd: worktree.repository }, ["worktree", "remove", "--force", worktree.dir], { allowFailure: true });
  }
  await rm(worktree.dir, { recursive: true, force: true });
  if (worktree.kind === "git" && worktree.repository !== undefined) await runGit({ cwd: worktree.repository }, ["worktree", "prune"], { allowFailure: true });
  for (const side of [`${worktree.dir}.git`, `${worktree.dir}.index`, recordPath(worktree.dir)]) await rm(side, { recursive: true, force: true });
}

/** Removes what crashed or killed runs left behind (their process is gone, or they are a day old). */
export async function pruneStaleWorktrees(root: string): Promise<number> {
  const stale = await findStaleWorktrees(root);
  for (const { dir, record } of stale) {
    await removeWorktreeDir({ dir, kind: record?.kind ?? "copy", repository: record?.repository, links: record?.links ?? [] }).catch(() => undefined);
  }
  return stale.length;
}
