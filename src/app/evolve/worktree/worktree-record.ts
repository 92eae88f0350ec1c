import { readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import * as z from "zod";

/**
 * Who made a worktree, written beside it (`<name>.json`) before anything else, so a later run can
 * remove what a crashed or killed one left behind.
 */
export const worktreeRecordSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  kind: z.enum(["git", "copy"]),
  /** The user's repository top level (git worktrees are removed through it). */
  repository: z.string().optional(),
  links: z.array(z.string()).default([]),
  createdAt: z.string(),
});

export type WorktreeRecord = z.infer<typeof worktreeRecordSchema>;

export const recordPath = (worktreeDir: string): string => `${worktreeDir}.json`;

export async function writeWorktreeRecord(worktreeDir: string, record: WorktreeRecord): Promise<void> {
  const temp = `${recordPath(worktreeDir)}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, recordPath(worktreeDir));
}

export interface StaleWorktree {
  dir: string;
  record?: WorktreeRecord;
}

/** A worktree nobody owns any more: its process on this machine is gone, or it is older than a day. */
export async function findStaleWorktrees(root: string, now = Date.now()): Promise<StaleWorktree[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const stale: StaleWorktree[] = [];
  for (const name of names) {
    if (name.endsWith(".json") || name.endsWith(".tmp") || name.endsWith(".index") || name.endsWith(".git")) continue;
    const dir = join(root, name);
    const record = await readFile(recordPath(dir), "utf8").then(
      (text) => worktreeRecordSchema.safeParse(JSON.parse(text)).data,
      () => undefined,
    );
    if (record === undefined) {
      // Made by a run that died before writing its record: old enough means abandoned.
      const made = await stat(dir).then((s) => s.mtimeMs, () => now);
      if (now - made > 60 * 60 * 1000) stale.push({ dir });
      continue;
    }
    const age = now - Date.parse(record.createdAt);
    if (age > 24 * 60 * 60 * 1000 || (record.host === hostname() && !isAlive(record.pid))) stale.push({ dir, record });
  }
  return stale;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
