export type SecretsMode = "block" | "redact" | "off";

export interface SnapshotRequest {
  /** Absolute path of the tree to snapshot. */
  root: string;
  /** Gitignore-style globs; when given, only matching files are kept. */
  include?: string[];
  /** Gitignore-style globs left out on top of .gitignore, .gromptignore and the defaults. */
  exclude?: string[];
  secrets?: SecretsMode;
  /** Files larger than this are left out and counted. */
  maxFileBytes?: number;
  /** Directory where manifest.json, snapshot.latx and snapshot.zip are written. */
  outDir: string;
  signal?: AbortSignal;
  /** Called as files are processed; carries counts only, never contents. */
  onProgress?: (progress: SnapshotProgress) => void;
}

export interface SnapshotProgress {
  done: number;
  total: number;
  bytes: number;
}

export interface ManifestFile {
  /** Relative POSIX path. */
  path: string;
  size: number;
  sha256: string;
  /** Octal mode string: "100644", "100755", or "120000" for a symbolic link. */
  mode: string;
  /** Target of a symbolic link (recorded, never followed). */
  linkTarget?: string;
  /** How many secrets were replaced in this file (redact mode). */
  redactions?: number;
}

export interface SnapshotManifest {
  version: 1;
  files: ManifestFile[];
  totals: { files: number; bytes: number };
}

/** Why a file of the tree is not in the snapshot. */
export type ExclusionReason =
  | "default-exclude"
  | "gromptignore"
  | "exclude-pattern"
  | "not-included"
  | "secret-file"
  | "output-dir"
  | "binary"
  | "too-large"
  | "non-utf8-name"
  | "non-utf8-content"
  | "unframeable-path"
  | "unframeable-content"
  | "unportable-path"
  | "not-a-file"
  | "unreadable";

export interface ExcludedCount {
  reason: ExclusionReason;
  count: number;
  /** A few example paths (a directory left out as a whole ends in "/"). */
  examples: string[];
}

/** A secret found in a file; never carries the secret itself. */
export interface SecretFinding {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** secretlint rule name without its package prefix, e.g. "github", "privatekey". */
  rule: string;
}

export interface SnapshotResult {
  /** sha256 of manifest.json's bytes. */
  id: string;
  root: string;
  /** Where the file list came from: git's own view, or a walk honouring .gitignore files. */
  source: "git" | "filesystem";
  manifest: SnapshotManifest;
  excluded: ExcludedCount[];
  outputs: { manifest: string; latx: string; zip: string };
  /** Secrets replaced in what is sent (redact mode). */
  redactions: SecretFinding[];
  /** OpenAI o200k_base token counts of the files' contents as sent. */
  tokens: { total: number; byPath: ReadonlyMap<string, number> };
  /** Where the time went: milliseconds per stage on the main thread, and summed over worker threads. */
  stages?: SnapshotStage[];
}

export interface SnapshotStage {
  stage: string;
  thread: "main" | "workers";
  ms: number;
}

/** One file read back from a .latx. */
export interface SnapshotEntry {
  path: string;
  content: Uint8Array;
}

export interface ExtractRequest {
  /** Path of the .latx file. */
  latx: string;
  /** Directory to restore into (created when missing). */
  dest: string;
  /** Replace files that already exist in `dest`. */
  overwrite?: boolean;
}

export interface ExtractResult {
  files: number;
  links: number;
  bytes: number;
  /** Links left out because their target points outside `dest`. */
  skippedLinks: { path: string; target: string }[];
}

export interface SnapshotPort {
  /** Selects, scans and writes the snapshot of a tree; byte-identical outputs for the same selection. */
  take(request: SnapshotRequest): Promise<SnapshotResult>;
  /** Reads a .latx stream back, file by file, in order (one file in memory at a time). */
  entries(latx: AsyncIterable<Uint8Array>): AsyncIterable<SnapshotEntry>;
  /** Restores a .latx into a directory exactly; validates every path before writing anything. */
  extract(request: ExtractRequest): Promise<ExtractResult>;
}
