export type SecretsMode = "block" | "redact" | "off";

export interface SnapshotRequest {
  /** Absolute path of the tree to snapshot. */
  root: string;
  include?: string[];
  exclude?: string[];
  secrets?: SecretsMode;
  /** Files larger than this are left out and counted. */
  maxFileBytes?: number;
  /** Directory where manifest.json, snapshot.latx and snapshot.zip are written. */
  outDir: string;
  signal?: AbortSignal;
}

export interface ManifestFile {
  /** Relative POSIX path. */
  path: string;
  size: number;
  sha256: string;
  /** Octal mode string such as "100644"; "120000" for a symbolic link. */
  mode: string;
  /** Target of a symbolic link (recorded, never followed). */
  linkTarget?: string;
}

export interface SnapshotManifest {
  version: 1;
  files: ManifestFile[];
  totals: { files: number; bytes: number };
}

export interface ExcludedCount {
  reason: string;
  count: number;
  /** A few example paths. */
  examples: string[];
}

export interface SnapshotResult {
  /** sha256 of manifest.json's bytes. */
  id: string;
  root: string;
  manifest: SnapshotManifest;
  excluded: ExcludedCount[];
  outputs: { manifest: string; latx: string; zip: string };
  /** Secrets replaced in what is sent (redact mode). */
  redactions: { path: string; line: number; rule: string }[];
}

export interface SnapshotPort {
  /** Selects, scans and writes the snapshot of a tree; deterministic for the same selection. */
  take(request: SnapshotRequest): Promise<SnapshotResult>;
}
