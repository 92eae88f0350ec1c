import type { ProviderId } from "../../core/ports/provider-port";
import type { ExcludedCount, SecretFinding, SnapshotResult, SnapshotStage } from "../../core/ports/snapshot-port";
import { estimateTokens } from "./token-estimate";

export interface SnapshotSummary {
  id: string;
  root: string;
  source: "git" | "filesystem";
  files: number;
  links: number;
  bytes: number;
  /** In the provider's tokens. */
  tokens: number;
  provider: ProviderId;
  largest: { path: string; bytes: number; tokens: number }[];
  excluded: ExcludedCount[];
  /** Where secrets were replaced (redact mode): file, line, column and rule, never the secret. */
  redactions: SecretFinding[];
  outputs: SnapshotResult["outputs"];
}

/** What `grompt snapshot` prints (and returns with --json). */
export function summarizeSnapshot(result: SnapshotResult, provider: ProviderId, largest = 5): SnapshotSummary {
  const files = result.manifest.files.filter((file) => file.mode !== "120000");
  const byPath = result.tokens.byPath;
  return {
    id: result.id,
    root: result.root,
    source: result.source,
    files: files.length,
    links: result.manifest.files.length - files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    tokens: estimateTokens(result.tokens.total, provider),
    provider,
    largest: [...files]
      .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1))
      .slice(0, largest)
      .map((file) => ({ path: file.path, bytes: file.size, tokens: estimateTokens(byPath.get(file.path) ?? 0, provider) })),
    excluded: result.excluded,
    redactions: result.redactions,
    outputs: result.outputs,
  };
}

/** `--timings`: the process's startup (until the snapshot began), then the snapshot's own stages. */
export function snapshotTimings(result: SnapshotResult, startupMs: number): SnapshotStage[] {
  const startup: SnapshotStage = { stage: "startup (process start → snapshot begins)", thread: "main", ms: startupMs };
  return [startup, ...(result.stages ?? [])].map((entry) => ({
    ...entry,
    ms: Math.round(entry.ms * 10) / 10,
  }));
}
