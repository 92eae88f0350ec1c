import { join } from "node:path";
import type { BlobPort } from "../../core/ports/blob-port";
import type { SnapshotPort } from "../../core/ports/snapshot-port";
import type { StorePort } from "../../core/ports/store-port";
import type { JobContext } from "../runner/job-handler";
import { type StoredSnapshot, snapshotRecords, storeSnapshot } from "../snapshot/store-snapshot";
import type { EvolveSettings } from "./evolve-settings";

export interface SnapshotPhaseDeps {
  snapshots: SnapshotPort;
  blobs: BlobPort;
  store: Pick<StorePort, "recordSnapshot" | "recordArtifact">;
  /** `$GROMPT_HOME`: the snapshot's scratch space is `tmp/` under it. */
  home: string;
}

/**
 * The `snapshotting` state: a deterministic snapshot of the project into the blob store, its
 * `snapshots` row and its three artifacts (manifest.json, snapshot.latx, snapshot.zip) recorded on
 * the job, `snapshot-taken` and `artifact-stored` events. Re-running it on resume stores nothing
 * new: the outputs are content-addressed and artifacts are replaced by name.
 */
export async function snapshotPhase(ctx: JobContext, request: { cwd: string; settings: EvolveSettings["snapshot"] }, deps: SnapshotPhaseDeps): Promise<StoredSnapshot> {
  const stored = await storeSnapshot({ root: request.cwd, ...request.settings, signal: ctx.signal }, { snapshots: deps.snapshots, blobs: deps.blobs, scratchDir: join(deps.home, "tmp") });
  const { snapshot, artifacts } = snapshotRecords(ctx.job.id, stored, new Date().toISOString());
  await deps.store.recordSnapshot(snapshot);
  for (const artifact of artifacts) await deps.store.recordArtifact(artifact);
  const { totals } = stored.snapshot.manifest;
  await ctx.emit(
    { type: "snapshot-taken", snapshotId: stored.snapshot.id, files: totals.files, bytes: totals.bytes, tokens: stored.snapshot.tokens.total },
    ...artifacts.map((artifact) => ({ type: "artifact-stored" as const, name: artifact.name, kind: artifact.kind, sha256: artifact.sha256, bytes: artifact.bytes })),
  );
  return stored;
}
