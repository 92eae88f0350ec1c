import { isUtf8 } from "node:buffer";
import type { Dirent } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import type { ExclusionReason } from "../../core/ports/snapshot-port";
import type { PathFilter } from "./path-filter";

export interface WalkedTree {
  /** Relative paths of files, links and other non-directories that no .gitignore hides. */
  paths: string[];
  /** Directories left out as a whole, with their reason (path ends in "/"). */
  skipped: { path: string; reason: ExclusionReason }[];
}

interface IgnoreLevel {
  /** "" for the root, "a/b/" below it. */
  base: string;
  rules: Ignore;
}

const CONCURRENT_DIRECTORIES = 16;

/**
 * Reads a tree that is not in a git work tree: `.gitignore` files apply as git would apply them
 * (each to its own directory and below, deeper files first, negations honoured, no re-including
 * inside an ignored directory). Directories the path filter leaves out as a whole are not entered.
 * Symbolic links are reported as paths and never followed.
 */
export async function walkTree(root: string, filter: PathFilter): Promise<WalkedTree> {
  const paths: string[] = [];
  const skipped: WalkedTree["skipped"] = [];
  const queue: { dir: string; levels: IgnoreLevel[] }[] = [{ dir: "", levels: [] }];
  let active = 0;

  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (queue.length === 0 && active === 0) return resolve();
      while (active < CONCURRENT_DIRECTORIES && queue.length > 0) {
        const job = queue.shift() as { dir: string; levels: IgnoreLevel[] };
        active += 1;
        visit(job.dir, job.levels).then(
          () => {
            active -= 1;
            pump();
          },
          reject,
        );
      }
    };
    pump();
  });
  return { paths, skipped };

  async function visit(dir: string, parentLevels: IgnoreLevel[]): Promise<void> {
    const absolute = join(root, dir);
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(absolute, { withFileTypes: true, encoding: "buffer" });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "EPERM") return void skipped.push({ path: `${dir}`, reason: "unreadable" });
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw error;
    }
    const levels = await withGitignore(absolute, dir, parentLevels);
    for (const entry of entries) {
      const rawName = entry.name;
      const isDirectory = entry.isDirectory();
      if (!isUtf8(rawName)) {
        skipped.push({ path: `${dir}${rawName.toString("utf8")}${isDirectory ? "/" : ""}`, reason: "non-utf8-name" });
        continue;
      }
      const name = rawName.toString("utf8");
      if (name === ".git") continue;
      const path = `${dir}${name}`;
      if (isIgnored(levels, path, isDirectory)) continue;
      if (!isDirectory) {
        paths.push(path);
        continue;
      }
      const reason = filter.directory(path);
      if (reason !== undefined) skipped.push({ path: `${path}/`, reason });
      else queue.push({ dir: `${path}/`, levels });
    }
  }
}

async function withGitignore(absolute: string, dir: string, levels: IgnoreLevel[]): Promise<IgnoreLevel[]> {
  let text: string;
  try {
    text = await readFile(join(absolute, ".gitignore"), "utf8");
  } catch {
    return levels;
  }
  return [...levels, { base: dir, rules: ignore({ ignorecase: false }).add(text) }];
}

/** The deepest .gitignore with a rule for the path decides, as in git. */
function isIgnored(levels: IgnoreLevel[], path: string, isDirectory: boolean): boolean {
  for (let k = levels.length - 1; k >= 0; k--) {
    const level = levels[k] as IgnoreLevel;
    const result = level.rules.test(`${path.slice(level.base.length)}${isDirectory ? "/" : ""}`);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
