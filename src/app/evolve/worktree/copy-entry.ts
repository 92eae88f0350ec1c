import { chmod, copyFile, lstat, mkdir, readlink, rm, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Makes `relativePath` in `to` what it is in `from`: the same bytes and mode for a file, the same
 * target for a symbolic link (never followed), absent when it is absent. Directories (submodules,
 * nested repositories) are left alone. Returns what it did.
 */
export async function copyEntry(relativePath: string, from: string, to: string): Promise<"copied" | "linked" | "removed" | "skipped"> {
  const source = join(from, ...relativePath.split("/"));
  const target = join(to, ...relativePath.split("/"));
  const stat = await lstat(source).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return undefined;
    throw error;
  });
  if (stat === undefined) {
    await rm(target, { force: true });
    return "removed";
  }
  if (stat.isDirectory()) return "skipped";
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { force: true, recursive: false }).catch(() => undefined);
  if (stat.isSymbolicLink()) {
    await symlink(await readlink(source), target);
    return "linked";
  }
  if (!stat.isFile()) return "skipped";
  await copyFile(source, target);
  await chmod(target, stat.mode & 0o777);
  return "copied";
}
