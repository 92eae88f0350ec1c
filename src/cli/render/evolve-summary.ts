import chalk from "chalk";
import type { AppliedJobPatch } from "../../app/evolve/apply-job-patch";
import type { EvolveReport } from "../../app/evolve/evolve-report";
import { exitCodeFor } from "../../core/domain/errors";
import type { Job, JobFailure } from "../../core/domain/job";
import type { ArtifactRecord } from "../../core/ports/store-port";
import { displayPath } from "../display-path";
import { formatCost } from "./format";

export interface EvolveSummaryInput {
  /** Undefined when the job could not even be created. */
  job?: Job;
  error?: JobFailure;
  report?: EvolveReport;
  artifacts: ArtifactRecord[];
  /** Where `--out` wrote each artifact, by name. */
  written?: Record<string, string>;
  applied?: AppliedJobPatch;
  durationMs: number;
}

/** `--json` / `--ci`: one object a CI step can read; `exitCode` is the process's. */
export function evolveJson(input: EvolveSummaryInput): Record<string, unknown> {
  const { job, report } = input;
  const lastRound = report?.checks.rounds.filter((round) => round.round > 0).at(-1);
  const summary: Record<string, unknown> = {
    jobId: job?.id ?? null,
    state: job?.state ?? "error",
    validated: report?.outcome.validated ?? false,
    validation: report?.outcome.validation ?? null,
    exitCode: input.error === undefined ? 0 : exitCodeFor(input.error.code),
    provider: job?.provider ?? null,
    model: job?.model ?? null,
    rounds: report?.rounds.length ?? 0,
    files: report?.patch?.files ?? [],
    added: report?.patch?.added ?? 0,
    removed: report?.patch?.removed ?? 0,
    checks: lastRound?.checks.map((check) => ({ name: check.name, status: check.status, causedByPatch: check.causedByPatch, durationMs: check.durationMs })) ?? [],
    baseline: report?.checks.rounds.find((round) => round.round === 0)?.checks.map((check) => ({ name: check.name, status: check.status })) ?? [],
    usage: job?.usage ?? report?.usage ?? null,
    costMicros: job?.costMicros ?? report?.costMicros ?? null,
    durationMs: input.durationMs,
    patch: input.written?.["changes.patch"] ?? null,
    artifacts: input.artifacts.map((artifact) => ({ name: artifact.name, kind: artifact.kind, sha256: artifact.sha256, bytes: artifact.bytes, path: input.written?.[artifact.name] ?? null })),
    applied: input.applied === undefined ? false : input.applied.touched.map((file) => file.path),
  };
  if (input.error !== undefined) summary.error = input.error;
  return summary;
}

/** The closing lines on a terminal: what changed, how it was checked, what it cost, where it is. */
export function evolveSummaryText(input: EvolveSummaryInput, cwd: string): string {
  const { job, report } = input;
  const lines: string[] = [];
  const patch = report?.patch;
  if (patch !== undefined) {
    const verdict = report?.outcome.validated === true ? chalk.green("Validated patch") : input.error === undefined ? chalk.yellow("Patch (not validated)") : chalk.red("Unvalidated patch");
    lines.push(`${verdict}: ${patch.files.length} file${patch.files.length === 1 ? "" : "s"}, ${chalk.green(`+${patch.added}`)} ${chalk.red(`-${patch.removed}`)}`);
  }
  const lastRound = report?.checks.rounds.filter((round) => round.round > 0).at(-1);
  const checks = lastRound?.checks.map((check) => `${check.name} ${check.status === "passed" ? chalk.green("✔") : check.status === "skipped" ? chalk.dim("skipped") : check.causedByPatch ? chalk.red("✖") : chalk.yellow("✖ (as before)")}`);
  const validation = report?.outcome.validation === "skipped" ? "not run (--no-validate)" : report?.outcome.validation === "no-checks" ? "none found" : (checks?.join("  ") ?? "-");
  const rounds = report?.rounds.length ?? 0;
  const usage = job?.usage;
  lines.push(
    chalk.dim(
      [
        `checks: ${validation}`,
        `${rounds} round${rounds === 1 ? "" : "s"}`,
        usage === undefined ? undefined : `${usage.total.toLocaleString("en-US")} tokens`,
        job === undefined ? undefined : costText(job.costMicros),
        `${(input.durationMs / 1000).toFixed(1)} s`,
      ]
        .filter((part) => part !== undefined)
        .join(" · "),
    ),
  );
  const patchFile = input.written?.["changes.patch"];
  if (patchFile !== undefined) lines.push(`patch: ${displayPath(patchFile, cwd)}`);
  if (input.applied !== undefined) lines.push(chalk.green(`Applied to your working tree: ${input.applied.touched.map((file) => file.path).join(", ")}`));
  else if (job !== undefined && patch !== undefined && input.error === undefined) lines.push(chalk.dim(`Apply it with: grompt apply ${job.id}`));
  if (job !== undefined) lines.push(chalk.dim(`Details: grompt jobs show ${job.id}`));
  return `${lines.join("\n")}\n`;
}

function costText(costMicros: number | null | undefined): string {
  if (costMicros === null) return "cost unknown";
  return costMicros === undefined || costMicros === 0 ? "$0" : formatCost(costMicros);
}
