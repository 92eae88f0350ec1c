import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { FileChange, PatchPlan, TouchedFile } from "./patch-plan";
import { createFsPatchTree } from "./patch-tree";

/** The file operations the applier uses; a test passes one that fails on purpose. */
export type ApplyFs = Pick<typeof nodeFs, "writeFile" | "rename" | "link" | "unlink" | "mkdir" | "chmod" | "rm" | "copyFile" | "rmdir">;

export interface ApplyPlanDeps {
  fs?: ApplyFs;
}

type Done =
  | { kind: "replaced"; path: string; backup: string }
  | { kind: "created"; path: string }
  | { kind: "deleted"; path: string; backup: string };

/**
 * The one place a patch writes. Checks nothing changed since planning, stages every new file as
 * a temp file beside its target, then renames them in; if any step fails, everything already
 * renamed is put back and the tree is as it was. Returns what it touched.
 */
export async function applyPlan(plan: PatchPlan, deps: ApplyPlanDeps = {}): Promise<TouchedFile[]> {
  const fs = deps.fs ?? nodeFs;
  await verifyUnchanged(plan);
  const absolute = (path: string): string => join(plan.root, ...path.split("/"));
  const temps = new Map<string, string>();
  const createdDirectories: string[] = [];
  const done: Done[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const temp of temps.values()) await fs.rm(temp, { force: true }).catch(() => undefined);
    for (const directory of createdDirectories.reverse()) await fs.rm(directory, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    for (const change of plan.changes) {
      if (change.after === null) continue;
      const target = absolute(change.path);
      const made = await fs.mkdir(dirname(target), { recursive: true });
      if (made !== undefined) createdDirectories.push(made);
      const temp = join(dirname(target), `.${basename(target)}.grompt-${randomBytes(6).toString("hex")}.tmp`);
      temps.set(change.path, temp);
      await fs.writeFile(temp, change.after.bytes, { flag: "wx", mode: change.after.mode });
      await fs.chmod(temp, change.after.mode);
    }
    for (const change of plan.changes) done.push(await commit(fs, change, absolute(change.path), temps.get(change.path)));
  } catch (error) {
    await rollBack(fs, done);
    await cleanUp();
    const message = error instanceof Error ? error.message : String(error);
    throw new GromptError("io_error", `Writing the patch failed, nothing was changed: ${message}`, {
      cause: error,
      hint: "Check permissions and free space under the repository, then apply again.",
      details: { root: plan.root, rolledBack: done.map((step) => step.path) },
    });
  }
  for (const step of done) if (step.kind !== "created") await fs.rm(step.backup, { force: true }).catch(() => undefined);
  for (const step of done) if (step.kind === "deleted") await removeEmptyParents(fs, dirname(step.path), plan.root);
  return plan.changes.map(touchedOf);
}

async function commit(fs: ApplyFs, change: FileChange, target: string, temp: string | undefined): Promise<Done> {
  if (change.before === null) {
    await fs.rename(temp ?? "", target);
    return { kind: "created", path: target };
  }
  const backup = join(dirname(target), `.${basename(target)}.grompt-${randomBytes(6).toString("hex")}.bak`);
  if (change.after === null) {
    await fs.rename(target, backup);
    return { kind: "deleted", path: target, backup };
  }
  // A hard link keeps the original reachable without a moment where the path is missing.
  await fs.link(target, backup).catch(() => fs.copyFile(target, backup));
  await fs.rename(temp ?? "", target);
  return { kind: "replaced", path: target, backup };
}

async function rollBack(fs: ApplyFs, done: readonly Done[]): Promise<void> {
  for (const step of [...done].reverse()) {
    if (step.kind === "created") await fs.unlink(step.path).catch(() => undefined);
    else await fs.rename(step.backup, step.path).catch(() => undefined);
  }
}

/** A plan is only valid for the tree it was made from; refuse if any file moved on since. */
async function verifyUnchanged(plan: PatchPlan): Promise<void> {
  const tree = await createFsPatchTree(plan.root);
  for (const change of plan.changes) {
    const entry = await tree.inspect(change.path);
    const unchanged =
      change.before === null
        ? entry.kind === "missing"
        : entry.kind === "file" && entry.mode === change.before.mode && Buffer.from(entry.bytes).equals(change.before.bytes);
    if (!unchanged) {
      throw new GromptError("patch_not_applicable", `"${change.path}" changed after the patch was planned; nothing was written.`, {
        hint: "Plan the patch again against the current files.",
        details: { path: change.path },
      });
    }
  }
}

/** A deleted file's directories go too when they end up empty, as with git. */
async function removeEmptyParents(fs: ApplyFs, directory: string, root: string): Promise<void> {
  let current = directory;
  while (current.length > root.length && current.startsWith(root)) {
    const removed = await fs.rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed) return;
    current = dirname(current);
  }
}

function touchedOf(change: FileChange): TouchedFile {
  if (change.before === null) return { path: change.path, action: "created" };
  if (change.after === null) return { path: change.path, action: "deleted" };
  const sameBytes = Buffer.from(change.before.bytes).equals(change.after.bytes);
  return { path: change.path, action: sameBytes ? "mode-changed" : "modified" };
}
