import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { BlobPort, BlobRef } from "../../core/ports/blob-port";
import type { SnapshotPort, SnapshotRequest, SnapshotResult } from "../../core/ports/snapshot-port";
import type { ArtifactRecord, SnapshotRecord } from "../../core/ports/store-port";

export type StoreSnapshotInput = Omit<SnapshotRequest, "outDir">;

export interface StoreSnapshotDeps {
  snapshots: SnapshotPort;
  blobs: BlobPort;
  /** Scratch space for the outputs before they enter the blob store (`$GROMPT_HOME/tmp`). */
  scratchDir: string;
}

export interface StoredSnapshot {
  snapshot: SnapshotResult;
  refs: { manifest: BlobRef; latx: BlobRef; zip: BlobRef };
}

/**
 * Takes a snapshot and moves its three outputs into the content-addressed blob store; the scratch
 * directory is removed whatever happens. Use `snapshotRecords` to record the result on a job, and
 * `blobs.open(refs.latx.sha256)` to feed `buildPromptContext`.
 */
export async function storeSnapshot(input: StoreSnapshotInput, deps: StoreSnapshotDeps): Promise<StoredSnapshot> {
  await mkdir(deps.scratchDir, { recursive: true });
  const outDir = await mkdtemp(join(deps.scratchDir, "snapshot-"));
  try {
    const snapshot = await deps.snapshots.take({ ...input, outDir });
    const [manifest, latx, zip] = await Promise.all([
      deps.blobs.putFile(snapshot.outputs.manifest),
      deps.blobs.putFile(snapshot.outputs.latx),
      deps.blobs.putFile(snapshot.outputs.zip),
    ]);
    return { snapshot, refs: { manifest, latx, zip } };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * The rows a job keeps for its snapshot: one `snapshots` row (pointing at the .latx, the form sent
 * to the model) and one artifact per output, downloadable from `/v1/jobs/:id/artifacts`.
 */
export function snapshotRecords(jobId: string, stored: StoredSnapshot, createdAt: string): { snapshot: SnapshotRecord; artifacts: ArtifactRecord[] } {
  const { snapshot, refs } = stored;
  const artifact = (name: string, kind: string, ref: BlobRef, contentType: string): ArtifactRecord => ({
    jobId,
    name,
    kind,
    storageUrl: ref.url,
    sha256: ref.sha256,
    bytes: ref.bytes,
    contentType,
    createdAt,
  });
  return {
    snapshot: {
      jobId,
      snapshotId: snapshot.id,
      storageUrl: refs.latx.url,
      bytes: refs.latx.bytes,
      sha256: refs.latx.sha256,
      files: snapshot.manifest.totals.files,
      createdAt,
    },
    artifacts: [
      artifact("manifest.json", "snapshot-manifest", refs.manifest, "application/json"),
      artifact("snapshot.latx", "snapshot-latx", refs.latx, "text/plain; charset=utf-8"),
      artifact("snapshot.zip", "snapshot-zip", refs.zip, "application/zip"),
    ],
  };
}
