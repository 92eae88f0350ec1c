import { chmod, copyFile, mkdir, readdir, readlink, stat, symlink } from "node:fs/promises";
import { join } from "node:path";

export interface CopyTreeOptions {
  /** Called for every entry below the source; false leaves it (and everything under it) out. */
  filter(path: string, isDirectory: boolean): boolean;
  signal?: AbortSignal;
}

/** Files copied at once: enough to keep the disk busy, few enough not to run out of file handles. */
const parallel = 32;

/**
 * Copies a directory tree: files with their bytes and permission bits, symbolic links as links
 * (never followed), directories recreated. Unlike `fs.cp`, the destination may lie inside the
 * source, as long as the filter leaves it out.
 */
export async function copyTree(source: string, destination: string, options: CopyTreeOptions): Promise<void> {
  await mkdir(destination, { recursive: true });
  await chmod(destination, (await stat(source)).mode & 0o777);
  const entries = await readdir(source, { withFileTypes: true });
  for (let start = 0; start < entries.length; start += parallel) {
    options.signal?.throwIfAborted();
    await Promise.all(
      entries.slice(start, start + parallel).map(async (entry) => {
        const from = join(source, entry.name);
        const to = join(destination, entry.name);
        if (!options.filter(from, entry.isDirectory())) return;
        if (entry.isDirectory()) return copyTree(from, to, options);
        if (entry.isSymbolicLink()) return symlink(await readlink(from), to);
        if (!entry.isFile()) return;
        await copyFile(from, to);
        await chmod(to, (await stat(from)).mode & 0o777);
      }),
    );
  }
}
