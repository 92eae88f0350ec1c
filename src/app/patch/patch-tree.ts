import { lstat, readFile, realpath } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { GromptError } from "../../core/domain/errors";

/** What lives at a relative path of the tree, as far as a patch is concerned. */
export type TreeEntry =
  | { kind: "file"; bytes: Uint8Array; mode: number }
  | { kind: "missing" }
  | { kind: "directory" }
  | { kind: "symlink" }
  | { kind: "escapes-root"; through: string }
  | { kind: "parent-not-directory"; parent: string }
  | { kind: "special" };

/** The planner's only window on the files: it reads, never writes. */
export interface PatchTree {
  /** Absolute, symlink-resolved root. */
  readonly root: string;
  /** Looks at a normalised relative path, refusing anything whose real location is outside the root. */
  inspect(path: string): Promise<TreeEntry>;
}

/** A PatchTree over the real file system. */
export async function createFsPatchTree(root: string): Promise<PatchTree> {
  const realRoot = await realpath(root).catch((error: NodeJS.ErrnoException) => {
    throw new GromptError("io_error", `Cannot use ${root} as the patch root: ${error.code === "ENOENT" ? "it does not exist" : error.message}.`, { cause: error });
  });
  const inside = (absolute: string): boolean => absolute === realRoot || absolute.startsWith(realRoot + sep);
  return {
    root: realRoot,
    inspect: (path) =>
      inspect(path).catch((error: unknown) => {
        if (error instanceof GromptError) throw error;
        throw new GromptError("io_error", `Cannot read ${path} under ${realRoot}: ${(error as Error).message}`, { cause: error, details: { path } });
      }),
  };

  async function inspect(path: string): Promise<TreeEntry> {
    const absolute = join(realRoot, ...path.split("/"));
    // Every existing ancestor must really live under the root: a symlinked directory pointing
    // outside would let a patch write anywhere.
    const parent = await realParent(dirname(absolute), realRoot);
    if (parent.kind === "escapes") return { kind: "escapes-root", through: parent.through };
    if (parent.kind === "not-directory") return { kind: "parent-not-directory", parent: parent.path };
    const stats = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (stats === undefined) return { kind: "missing" };
    if (stats.isSymbolicLink()) {
      const target = await realpath(absolute).catch(() => undefined);
      return target !== undefined && !inside(target) ? { kind: "escapes-root", through: path } : { kind: "symlink" };
    }
    if (stats.isDirectory()) return { kind: "directory" };
    if (!stats.isFile()) return { kind: "special" };
    return { kind: "file", bytes: await readFile(absolute), mode: stats.mode & 0o7777 };
  }

  async function realParent(
    directory: string,
    rootPath: string,
  ): Promise<{ kind: "ok" } | { kind: "escapes"; through: string } | { kind: "not-directory"; path: string }> {
    // Walk up to the nearest existing ancestor and resolve it.
    let current = directory;
    while (current.length >= rootPath.length) {
      const stats = await lstat(current).catch(() => undefined);
      if (stats !== undefined) {
        const real = await realpath(current).catch(() => undefined);
        const through = relative(rootPath, current).split(sep).join("/");
        if (real === undefined || !inside(real)) return { kind: "escapes", through };
        const realStats = await lstat(real);
        if (!realStats.isDirectory()) return { kind: "not-directory", path: through };
        return { kind: "ok" };
      }
      current = dirname(current);
    }
    return { kind: "ok" };
  }
}
