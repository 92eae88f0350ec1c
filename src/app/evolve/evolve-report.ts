import { createHash } from "node:crypto";
import type { JobFailure } from "../../core/domain/job";
import type { GenUsage } from "../../core/ports/provider-port";
import type { SnapshotResult } from "../../core/ports/snapshot-port";
import type { PromptContext } from "../snapshot/build-prompt-context";
import type { CheckSpec, UnavailableCheck } from "./checks/check-spec";
import type { CheckRound } from "./checks/check-session";
import type { AppliedPatch, RoundRecord } from "./run-evolve-rounds";

/** How the patch was validated: its checks passed, the project has none, or validation was turned off. */
export type Validation = "passed" | "failed" | "no-checks" | "skipped";

/** One file of the stored patch, with the sha256 of the file it was made against (null: created). */
export interface PatchFileEntry {
  path: string;
  action: "created" | "modified" | "deleted" | "mode-changed";
  added: number;
  removed: number;
  baseSha256: string | null;
}

/** `report.json`: everything a person, a CI step or `grompt apply` needs to know about the job. */
export interface EvolveReport {
  version: 1;
  job: { id: string; instruction: string; cwd: string; provider: string; model: string; prompt: { id: string; version: string } };
  outcome: { validated: boolean; validation: Validation; error?: JobFailure };
  snapshot?: { id: string; source: SnapshotResult["source"]; files: number; bytes: number; tokens: number; excluded: Record<string, number> };
  context?: { tokens: number; filesInFull: number; pathsOnly: number; leftOut: number };
  worktree?: { kind: "git" | "copy"; overlaid: number; links: string[] };
  checks: { selected: { name: string; command: string; source: CheckSpec["source"] }[]; unavailable: UnavailableCheck[]; rounds: CheckRound[] };
  rounds: RoundRecord[];
  /** The stored patch (validated or not); paths relative to `root`. */
  patch?: {
    round: number;
    validated: boolean;
    /** `repository`: paths are relative to the git top level, `prefix` is the job's directory inside it. */
    root: "repository" | "project";
    prefix: string;
    files: PatchFileEntry[];
    added: number;
    removed: number;
    sha256: string;
    bytes: number;
  };
  usage?: GenUsage;
  costMicros?: number | null;
  timings: Record<string, number>;
}

/** The stored patch's entry in the report: per file what changed and the bytes it was made against. */
export function describePatch(applied: AppliedPatch, validated: boolean, worktree: { kind: "git" | "copy"; prefix: string }): NonNullable<EvolveReport["patch"]> {
  const byPath = new Map(applied.plan.files.map((file) => [file.path, file]));
  const files = applied.touched.map((touched): PatchFileEntry => {
    const change = applied.plan.changes.find((candidate) => candidate.path === touched.path);
    const hunks = byPath.get(touched.path)?.hunks ?? [];
    return {
      path: worktree.prefix === "" ? touched.path : `${worktree.prefix}/${touched.path}`,
      action: touched.action,
      added: hunks.reduce((sum, hunk) => sum + hunk.added, 0),
      removed: hunks.reduce((sum, hunk) => sum + hunk.removed, 0),
      baseSha256: change?.before == null ? null : sha256(change.before.bytes),
    };
  });
  return {
    round: applied.round,
    validated,
    root: worktree.kind === "git" ? "repository" : "project",
    prefix: worktree.prefix,
    files,
    added: applied.plan.stats.added,
    removed: applied.plan.stats.removed,
    sha256: sha256(applied.text),
    bytes: Buffer.byteLength(applied.text),
  };
}

export function describeSnapshot(snapshot: SnapshotResult): NonNullable<EvolveReport["snapshot"]> {
  return {
    id: snapshot.id,
    source: snapshot.source,
    files: snapshot.manifest.totals.files,
    bytes: snapshot.manifest.totals.bytes,
    tokens: snapshot.tokens.total,
    excluded: Object.fromEntries(snapshot.excluded.map((entry) => [entry.reason, entry.count])),
  };
}

export function describeContext(context: PromptContext): NonNullable<EvolveReport["context"]> {
  return { tokens: context.tokens, filesInFull: context.plan.files.length, pathsOnly: context.plan.pathsOnly.length, leftOut: context.plan.leftOut.length };
}

/** The job's `result` (what `grompt jobs show` and `GET /v1/jobs/:id` print): the report's headline. */
export function resultSummary(report: EvolveReport): Record<string, unknown> {
  const lastRound = report.checks.rounds.at(-1);
  return {
    validated: report.outcome.validated,
    validation: report.outcome.validation,
    rounds: report.rounds.length,
    files: report.patch?.files.map((file) => file.path) ?? [],
    added: report.patch?.added ?? 0,
    removed: report.patch?.removed ?? 0,
    checks: lastRound === undefined || lastRound.round === 0 ? [] : lastRound.checks.map((check) => ({ name: check.name, status: check.status, causedByPatch: check.causedByPatch })),
    patch: report.patch === undefined ? undefined : { sha256: report.patch.sha256, bytes: report.patch.bytes },
  };
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
