import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { SnapshotPort, SnapshotRequest, SnapshotResult } from "../../core/ports/snapshot-port";

export interface SnapshotTreeInput extends Omit<SnapshotRequest, "outDir"> {
  /** Where to write the outputs; default `$GROMPT_HOME/snapshots/<snapshot id>/`. */
  outDir?: string;
}

export interface SnapshotTreeDeps {
  snapshots: SnapshotPort;
  /** `$GROMPT_HOME`. */
  home: string;
}

/**
 * `grompt snapshot`: writes the three outputs to `--out`, or to a directory named after the
 * snapshot id under `$GROMPT_HOME/snapshots` (staged under a temporary name first, since the id is
 * known only at the end; the same id means the same bytes, so an existing one is kept).
 */
export async function snapshotTree(input: SnapshotTreeInput, deps: SnapshotTreeDeps): Promise<SnapshotResult> {
  if (input.outDir !== undefined) return deps.snapshots.take({ ...input, outDir: resolve(input.outDir) });
  const snapshotsDir = join(deps.home, "snapshots");
  await mkdir(snapshotsDir, { recursive: true });
  const staging = join(snapshotsDir, `.staging-${randomBytes(6).toString("hex")}`);
  const exclude = [...(input.exclude ?? []), ...insideTree(resolve(input.root), snapshotsDir)];
  try {
    const result = await deps.snapshots.take({ ...input, exclude, outDir: staging });
    const final = join(snapshotsDir, result.id);
    if ((await stat(final).catch(() => undefined)) === undefined) await rename(staging, final);
    const outputs = { manifest: join(final, "manifest.json"), latx: join(final, "snapshot.latx"), zip: join(final, "snapshot.zip") };
    return { ...result, outputs };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** An anchored exclude for `dir` when it lies inside the tree (earlier snapshots must not be snapshotted). */
function insideTree(root: string, dir: string): string[] {
  const rel = relative(root, dir);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return [];
  return [`/${rel.split(sep).join("/")}/`];
}
