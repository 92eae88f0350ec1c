import type { BlobPort } from "../../core/ports/blob-port";
import type { ArtifactRecord, StorePort } from "../../core/ports/store-port";
import type { JobContext } from "../runner/job-handler";

export interface JobArtifact {
  /** File name shown to users: `crafted-prompt.md`, `changes.patch`, `report.json`, ... */
  name: string;
  kind: string;
  contentType: string;
  data: string | Uint8Array;
}

/**
 * Puts an artifact's bytes in the blob store (content-addressed, so a resumed job storing the same
 * output again adds nothing), records it on the job (same name replaces) and logs `artifact-stored`.
 */
export async function storeJobArtifact(
  ctx: JobContext,
  artifact: JobArtifact,
  deps: { blobs: BlobPort; store: Pick<StorePort, "recordArtifact">; clock?: () => Date },
): Promise<ArtifactRecord> {
  const ref = await deps.blobs.put(artifact.data);
  const record: ArtifactRecord = {
    jobId: ctx.job.id,
    name: artifact.name,
    kind: artifact.kind,
    storageUrl: ref.url,
    sha256: ref.sha256,
    bytes: ref.bytes,
    contentType: artifact.contentType,
    createdAt: (deps.clock?.() ?? new Date()).toISOString(),
  };
  await deps.store.recordArtifact(record);
  await ctx.emit({ type: "artifact-stored", name: record.name, kind: record.kind, sha256: record.sha256, bytes: record.bytes });
  return record;
}
