import { mkdir, realpath, symlink, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Folders a package manager fills: linked into the worktree from the user's tree, never copied or reinstalled. */
export const installFolderNames: ReadonlySet<string> = new Set(["node_modules", "bower_components", "jspm_packages", ".venv", "venv"]);

export const isInstallFolder = (path: string): boolean => installFolderNames.has(basename(path.replace(/\/+$/, "")));

/**
 * Links each install folder (relative POSIX paths) of `from` into `to` as a symbolic link to its
 * real path, so tools resolve the user's dependencies. Returns the links made (relative paths).
 */
export async function linkInstallFolders(folders: readonly string[], from: string, to: string): Promise<string[]> {
  const made: string[] = [];
  for (const folder of folders) {
    const relativePath = folder.replace(/\/+$/, "");
    const target = join(to, ...relativePath.split("/"));
    const real = await realpath(join(from, ...relativePath.split("/"))).catch(() => undefined);
    if (real === undefined) continue;
    await mkdir(dirname(target), { recursive: true });
    const linked = await symlink(real, target, "dir").then(
      () => true,
      () => false,
    );
    if (linked) made.push(relativePath);
  }
  return made;
}

/** Removes the links (never what they point to) before the worktree itself is deleted. */
export async function unlinkInstallFolders(links: readonly string[], root: string): Promise<void> {
  for (const link of links) await unlink(join(root, ...link.split("/"))).catch(() => undefined);
}
