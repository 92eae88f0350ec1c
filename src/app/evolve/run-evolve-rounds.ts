import { type GromptError, isGromptError } from "../../core/domain/errors";
import type { JobEvent } from "../../core/domain/job-events";
import { type PatchPlan, type TouchedFile, applyPlan, patchFailureError, planPatch, renderPatchFailure } from "../patch";
import type { AnswerCheck } from "../prompts/prompt-call";
import type { CheckSession } from "./checks/check-session";
import type { JudgedCheck } from "./checks/judge-check";
import { checksFailedError, declineReason, declinedError, formatError, renderCheckFailure, renderGuardFailure } from "./read-answer";

export type RepairStage = "apply" | "checks" | "format";

/** What the model is asked in one round: the task itself, or a repair of the previous round's failure. */
export interface RoundRequest {
  round: number;
  repair?: { failedPatch: string; failure: string; stage: RepairStage; reason: string };
}

/** How one round ended. */
export interface RoundRecord {
  round: number;
  /** The registry prompt asked (`refactor-small`, then `evolve-repair`). */
  prompt: string;
  /** For repair rounds: why the previous round failed. */
  repairOf?: RepairStage;
  outcome: "declined" | "format-rejected" | "patch-rejected" | "checks-failed" | "validated" | "applied";
  /** What went wrong, in one line. */
  reason?: string;
  /** How the patch was placed, when it applied. */
  patch?: { files: PatchPlan["files"]; stats: PatchPlan["stats"] };
  durationMs: number;
}

export interface AppliedPatch {
  /** The change re-emitted by git from the worktree. */
  text: string;
  plan: PatchPlan;
  touched: TouchedFile[];
  round: number;
}

export type RoundsOutcome =
  | { ok: true; patch: AppliedPatch; rounds: RoundRecord[]; finalChecks?: JudgedCheck[] }
  /** `patch`: the last patch that applied, kept as an unvalidated artifact. */
  | { ok: false; error: GromptError; patch?: AppliedPatch; rounds: RoundRecord[]; finalChecks?: JudgedCheck[] };

export interface EvolveRoundsDeps {
  /** The project directory inside the temporary worktree. */
  projectDir: string;
  /** Repair rounds after the first answer. */
  maxRounds: number;
  /** Asks the model (streamed into the job's events); provider and input-guard failures throw. */
  ask(request: RoundRequest): Promise<{ text: string; prompt: string; check: (answer: string) => AnswerCheck }>;
  /** Undefined when nothing validates the patch (`--no-validate`, or no checks). */
  checks?: CheckSession;
  /** The worktree's change as a git patch, for the touched paths. */
  diff(paths: readonly string[]): Promise<string>;
  /** Puts the touched files back to the untouched tree before the next round. */
  restore(plan: PatchPlan): Promise<void>;
  emit(event: JobEvent): Promise<void>;
  jobId: string;
  /** The job's signal: once aborted, failures are not reported as the round's outcome but thrown. */
  signal?: AbortSignal;
}

/** Codes that stop the job itself (cancel, shutdown, lost lease) rather than end a round. */
const stopping = new Set(["canceled", "interrupted", "lease_lost"]);

/**
 * The diffing loop: ask → the model may decline (`CANNOT:`) → output guards → plan the patch in the
 * worktree → apply → re-emit it with git → run the checks against the baseline. A broken format, a
 * patch that does not apply or a check the patch broke feeds the exact failure into the next
 * (repair) round, up to `maxRounds` repairs; the worktree is restored between rounds.
 */
export async function runEvolveRounds(deps: EvolveRoundsDeps): Promise<RoundsOutcome> {
  const rounds: RoundRecord[] = [];
  let request: RoundRequest = { round: 1 };
  let lastApplied: AppliedPatch | undefined;
  for (;;) {
    const { round } = request;
    const started = performance.now();
    if (request.repair !== undefined) await deps.emit({ type: "repair-round-started", round, reason: request.repair.reason });
    let answer: Awaited<ReturnType<EvolveRoundsDeps["ask"]>>;
    try {
      answer = await deps.ask(request);
    } catch (error) {
      // A provider or input-guard failure ends the loop; the report still says what happened before it.
      if (deps.signal?.aborted === true || !isGromptError(error) || stopping.has(error.code)) throw error;
      return { ok: false, error, patch: lastApplied, rounds };
    }
    const record = (outcome: RoundRecord["outcome"], extra: Partial<RoundRecord> = {}): RoundRecord => {
      const entry: RoundRecord = { round, prompt: answer.prompt, outcome, durationMs: Math.round(performance.now() - started), ...extra };
      if (request.repair !== undefined) entry.repairOf = request.repair.stage;
      rounds.push(entry);
      return entry;
    };
    const canRepair = round <= deps.maxRounds;
    const repairNext = (stage: RepairStage, failure: string, reason: string): void => {
      request = { round: round + 1, repair: { failedPatch: answer.text, failure, stage, reason } };
    };

    const declined = declineReason(answer.text);
    if (declined !== undefined) {
      record("declined", { reason: declined });
      await deps.emit({ type: "patch-rejected", round, reason: `the model declined: ${declined}` });
      return { ok: false, error: declinedError(declined), patch: lastApplied, rounds };
    }

    const check = answer.check(answer.text);
    if (!check.ok) {
      const reason = check.violations[0]?.message ?? "the answer broke the output guards";
      record("format-rejected", { reason });
      await deps.emit({ type: "patch-rejected", round, reason });
      if (!canRepair) return { ok: false, error: formatError(check, round), patch: lastApplied, rounds };
      repairNext("format", renderGuardFailure(check), `round ${round}'s answer was not a usable diff: ${reason}`);
      continue;
    }

    const planned = await planPatch({ root: deps.projectDir, text: answer.text });
    if (!planned.ok) {
      const reason = planned.failure.problems[0]?.message ?? planned.failure.message;
      record("patch-rejected", { reason });
      await deps.emit({ type: "patch-rejected", round, reason });
      if (!canRepair) return { ok: false, error: patchFailureError(planned.failure), patch: lastApplied, rounds };
      repairNext("apply", renderPatchFailure(planned.failure), `round ${round}'s patch did not apply: ${reason}`);
      continue;
    }

    const { plan } = planned;
    const paths = plan.changes.map((change) => change.path);
    if (deps.checks !== undefined) {
      // The baseline runs on the untouched tree (it started while the model was answering).
      await deps.checks.baseline();
      await deps.checks.beforeApply(paths);
    }
    const touched = await applyPlan(plan);
    await deps.emit({ type: "patch-applied", round, files: touched.map((file) => file.path), hunks: plan.stats.hunks, strategies: plan.stats.strategies });
    const applied: AppliedPatch = { text: await deps.diff(paths), plan, touched, round };
    lastApplied = applied;
    const placed = { files: plan.files, stats: plan.stats };

    if (deps.checks === undefined) {
      record("applied", { patch: placed });
      return { ok: true, patch: applied, rounds };
    }
    const result = await deps.checks.run(round, paths);
    const broken = result.checks.filter((judged) => judged.causedByPatch);
    if (broken.length === 0) {
      record("validated", { patch: placed });
      return { ok: true, patch: applied, rounds, finalChecks: result.checks };
    }
    const reason = `${broken.map((judged) => judged.display).join(", ")} failed because of round ${round}'s patch`;
    record("checks-failed", { patch: placed, reason });
    if (!canRepair) return { ok: false, error: checksFailedError(result.checks, round, deps.jobId), patch: applied, rounds, finalChecks: result.checks };
    repairNext("checks", renderCheckFailure(result.checks), reason);
    await deps.restore(plan);
  }
}
