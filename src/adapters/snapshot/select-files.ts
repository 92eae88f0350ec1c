import { isUtf8 } from "node:buffer";
import { type Stats, lstatSync, readlinkSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExclusionReason } from "../../core/ports/snapshot-port";
import { binaryExtensions, extensionOf } from "./default-rules";
import type { ExclusionTally } from "./exclusion-tally";
import { isFramablePath } from "./latx-format";
import { listGitFiles } from "./list-git-files";
import { createPathFilter } from "./path-filter";
import { walkTree } from "./walk-tree";

export interface FileCandidate {
  kind: "file";
  path: string;
  absolute: string;
  size: number;
  executable: boolean;
}

export interface LinkCandidate {
  kind: "link";
  path: string;
  target: string;
}

export type Candidate = FileCandidate | LinkCandidate;

export interface SelectionInput {
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  /** Output directory relative to the root when it lies inside the tree. */
  outputDir?: string;
  maxFileBytes: number;
  tally: ExclusionTally;
}

export interface Selection {
  source: "git" | "filesystem";
  /** In byte order of their UTF-8 paths. */
  candidates: Candidate[];
}

/**
 * The files a snapshot will read: git's view (or a .gitignore-aware walk), minus what path rules,
 * size and binary types leave out — all decided from names and lstat, before any content is read.
 */
export async function selectFiles(input: SelectionInput): Promise<Selection> {
  const { root, tally } = input;
  const gromptignore = await readFile(join(root, ".gromptignore"), "utf8").catch(() => undefined);
  const filter = createPathFilter({ gromptignore, include: input.include, exclude: input.exclude, outputDir: input.outputDir });

  const listed = await listGitFiles(root);
  const source = listed === undefined ? "filesystem" : "git";
  const paths = new Set<string>();
  if (listed !== undefined) {
    for (const raw of listed) {
      if (!isUtf8(raw)) tally.add("non-utf8-name", raw.toString("utf8"));
      else if (raw[raw.length - 1] === 0x2f) tally.add("not-a-file", raw.toString("utf8"));
      else paths.add(raw.toString("utf8"));
    }
  } else {
    const walked = await walkTree(root, filter);
    for (const { path, reason } of walked.skipped) tally.add(reason, path);
    for (const path of walked.paths) paths.add(path);
  }

  const kept: { path: string; key: Buffer }[] = [];
  for (const path of paths) {
    const reason = filter.file(path);
    if (reason !== undefined) tally.add(reason, path);
    else kept.push({ path, key: Buffer.from(path, "utf8") });
  }
  kept.sort((a, b) => Buffer.compare(a.key, b.key));

  // git lists paths from its index too; a directory replaced by a link must not lead outside.
  // Metadata calls are synchronous on purpose: for files in the page cache they cost a few µs,
  // where each promise-based call costs tens of µs of main-thread time.
  const insideRoot = source === "git" ? createParentCheck(root) : () => true;
  const candidates: Candidate[] = [];
  for (const { path } of kept) {
    const outcome = insideRoot(path) ? classify(root, path, input.maxFileBytes) : undefined;
    if (outcome === undefined) continue;
    if ("reason" in outcome) tally.add(outcome.reason, outcome.path);
    else candidates.push(outcome);
  }
  return { source, candidates };
}

type Classified = Candidate | { path: string; reason: ExclusionReason } | undefined;

function classify(root: string, path: string, maxFileBytes: number): Classified {
  const absolute = join(root, path);
  let stats: Stats;
  try {
    stats = lstatSync(absolute);
  } catch (error) {
    return unreadable(error, path);
  }
  if (stats.isSymbolicLink()) {
    let raw: Buffer;
    try {
      raw = readlinkSync(absolute, { encoding: "buffer" });
    } catch (error) {
      return unreadable(error, path);
    }
    if (!isUtf8(raw)) return { path, reason: "non-utf8-name" };
    const target = raw.toString("utf8");
    if (!isFramablePath(target)) return { path, reason: "unframeable-path" };
    return { kind: "link", path, target };
  }
  if (!stats.isFile()) return { path, reason: "not-a-file" };
  if (binaryExtensions.has(extensionOf(path))) return { path, reason: "binary" };
  if (stats.size > maxFileBytes) return { path, reason: "too-large" };
  return { kind: "file", path, absolute, size: stats.size, executable: (stats.mode & 0o111) !== 0 };
}

/** Deleted-but-tracked files vanish silently (they are not in the working tree); others are counted. */
function unreadable(error: unknown, path: string): Classified {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return undefined;
  return { path, reason: "unreadable" };
}

/** True when no directory on the way from the root to the file is a symbolic link. */
function createParentCheck(root: string): (path: string) => boolean {
  const cache = new Map<string, boolean>();
  const realRoot = realpathSync(root);
  return (path) => {
    const slash = path.lastIndexOf("/");
    if (slash === -1) return true;
    const dir = path.slice(0, slash);
    let verdict = cache.get(dir);
    if (verdict === undefined) {
      let real: string | undefined;
      try {
        real = realpathSync(join(root, dir));
      } catch {
        real = undefined;
      }
      verdict = real === join(realRoot, dir);
      cache.set(dir, verdict);
    }
    return verdict;
  };
}
