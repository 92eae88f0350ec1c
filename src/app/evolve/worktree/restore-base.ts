import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FileChange } from "../../patch";

/**
 * Puts every file a patch touched back the way the planner read it (bytes and mode; a created file
 * is removed), so the next repair round applies its diff to the untouched tree again.
 */
export async function restoreBase(root: string, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    const target = join(root, ...change.path.split("/"));
    if (change.before === null) {
      await rm(target, { force: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true });
    await writeFile(target, change.before.bytes, { mode: change.before.mode });
    await chmod(target, change.before.mode);
  }
}
