import type { SnapshotEntry, SnapshotPort } from "../../core/ports/snapshot-port";
import { extractLatx } from "./extract-latx";
import { readLatxEntries } from "./latx-reader";
import { takeSnapshot } from "./take-snapshot";
import type { TakeSnapshotDeps } from "./take-snapshot-deps";

/** The SnapshotPort over LookAtni marker files (.latx), with a manifest and a zip beside them. */
export function createLookatniSnapshot(deps: TakeSnapshotDeps): SnapshotPort {
  return {
    take: (request) => takeSnapshot(request, deps),
    async *entries(latx): AsyncIterable<SnapshotEntry> {
      for await (const entry of readLatxEntries(latx)) {
        if (!entry.header) yield { path: entry.path, content: entry.content };
      }
    },
    extract: (request) => extractLatx(request),
  };
}
