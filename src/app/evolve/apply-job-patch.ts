import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { BlobPort } from "../../core/ports/blob-port";
import type { JobUseCases } from "../jobs/job-use-cases";
import { type TouchedFile, applyPlan, patchFailureError, planPatch } from "../patch";
import type { EvolveReport, Validation } from "./evolve-report";
import { runGit } from "./worktree/run-git";

export const patchArtifactName = "changes.patch";
export const reportArtifactName = "report.json";

export interface ApplyJobPatchRequest {
  jobId: string;
  /** Only check that it would apply; write nothing. */
  check?: boolean;
  /** Apply a patch whose checks failed. */
  allowUnvalidated?: boolean;
}

export interface AppliedJobPatch {
  /** The directory the patch's paths are relative to. */
  root: string;
  /** What was (or, with `check`, would be) written. */
  touched: TouchedFile[];
  validated: boolean;
  /** How the job validated the patch. */
  validation: Validation;
}

/**
 * Writes an evolve job's patch into the user's working tree — `grompt evolve --apply` and
 * `grompt apply <jobId>`. Refuses, writing nothing, when any file the patch touches is not exactly
 * what the job validated against (edited, created or deleted since), and when the patch's checks
 * failed unless asked. The write itself is the patch engine's: all files or none.
 */
export async function applyJobPatch(request: ApplyJobPatchRequest, deps: { jobs: Pick<JobUseCases, "show">; blobs: Pick<BlobPort, "get"> }): Promise<AppliedJobPatch> {
  const { job, artifacts } = await deps.jobs.show(request.jobId);
  if (job.promptPurpose !== "refactor") throw new GromptError("invalid_input", `job ${job.id} is a ${job.promptPurpose} job; only evolve jobs have a patch to apply`);
  const patchArtifact = artifacts.find((artifact) => artifact.name === patchArtifactName);
  const reportArtifact = artifacts.find((artifact) => artifact.name === reportArtifactName);
  if (patchArtifact === undefined || reportArtifact === undefined) {
    const why = job.error === undefined ? `it is ${job.state}` : `it ended in error: [${job.error.code}] ${job.error.message}`;
    throw new GromptError("not_found", `job ${job.id} has no patch to apply (${why})`, { hint: `See what happened: grompt jobs logs ${job.id}` });
  }
  const report = JSON.parse(Buffer.from(await deps.blobs.get(reportArtifact.sha256)).toString("utf8")) as EvolveReport;
  const patch = report.patch;
  if (patch === undefined || patch.sha256 !== patchArtifact.sha256) throw new GromptError("internal", `job ${job.id}: report.json does not describe its changes.patch`);
  if (report.outcome.validation === "failed" && request.allowUnvalidated !== true) {
    throw new GromptError("checks_failed", `job ${job.id}'s patch did not pass its checks, so it is not applied`, {
      hint: `Read why with \`grompt jobs show ${job.id}\`; apply it anyway with \`grompt apply ${job.id} --allow-unvalidated\`.`,
    });
  }

  const root = await patchRoot(report, job.id);
  const changed = await changedSinceJob(root, patch.files);
  if (changed.length > 0) {
    const list = changed.slice(0, 5).join(", ") + (changed.length > 5 ? ` and ${changed.length - 5} more` : "");
    throw new GromptError("patch_not_applicable", `${changed.length === 1 ? "A file the patch touches has" : `${changed.length} files the patch touches have`} changed since job ${job.id} read them: ${list}; nothing was written`, {
      hint: `Commit or stash those edits and run grompt evolve again, or merge the patch yourself: git apply --3way (the patch: grompt jobs show ${job.id}).`,
      details: { changed },
    });
  }
  const text = await deps.blobs.get(patchArtifact.sha256);
  const planned = await planPatch({ root, text });
  if (!planned.ok) throw patchFailureError(planned.failure);
  if (request.check === true) {
    const touched = planned.plan.changes.map((change): TouchedFile => ({ path: change.path, action: change.before === null ? "created" : change.after === null ? "deleted" : "modified" }));
    return { root, touched, validated: patch.validated, validation: report.outcome.validation };
  }
  return { root, touched: await applyPlan(planned.plan), validated: patch.validated, validation: report.outcome.validation };
}

async function patchRoot(report: EvolveReport, jobId: string): Promise<string> {
  const cwd = report.job.cwd;
  if (report.patch?.root !== "repository") return cwd;
  const top = await runGit({ cwd }, ["rev-parse", "--show-toplevel"], { allowFailure: true });
  if (top === undefined) throw new GromptError("invalid_input", `job ${jobId} ran in a git repository at ${cwd}, which is not one any more`);
  return top.trim();
}

/** Paths whose current bytes are not the ones the job's patch was made against. */
async function changedSinceJob(root: string, files: NonNullable<EvolveReport["patch"]>["files"]): Promise<string[]> {
  const changed: string[] = [];
  for (const file of files) {
    const bytes = await readFile(join(root, ...file.path.split("/"))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
      throw error;
    });
    const now = bytes === null ? null : createHash("sha256").update(bytes).digest("hex");
    if (now !== file.baseSha256) changed.push(now === null ? `${file.path} (deleted)` : file.baseSha256 === null ? `${file.path} (now exists)` : `${file.path} (edited)`);
  }
  return changed;
}
