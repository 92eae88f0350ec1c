import { GromptError } from "../../core/domain/errors";
import type { GuardViolation } from "../prompts/guards/guard-violation";
import type { AnswerCheck } from "../prompts/prompt-call";
import { renderDiagnostics } from "./checks/read-diagnostics";
import type { JudgedCheck } from "./checks/judge-check";

/** What the model may answer instead of a diff when the files it got are not enough. */
export function declineReason(answer: string): string | undefined {
  const match = /^\s*CANNOT:[ \t]*(.*)/.exec(answer);
  if (match === null) return undefined;
  return (match[1] ?? "").trim() || "no reason given";
}

/** The broken output guards, as the repair prompt's `failure` (stage `format`). */
export function renderGuardFailure(check: AnswerCheck): string {
  const lines = check.violations.flatMap((violation: GuardViolation) => [
    `- ${violation.guard}: ${violation.message}`,
    ...(violation.problems ?? []).slice(0, 20).map((problem) => `    ${problem}`),
  ]);
  return `The answer breaks the output contract:\n${lines.join("\n")}\n`;
}

/** The checks the patch broke, for the repair prompt (stage `checks`): new problems first, then the trimmed output. */
export function renderCheckFailure(checks: readonly JudgedCheck[]): string {
  const blocks: string[] = [];
  for (const check of checks) {
    if (!check.causedByPatch) continue;
    const how = check.status === "timed-out" ? "timed out" : `failed (exit ${check.exitCode ?? "?"})`;
    const lines = [`${check.display} ${how} because of the patch.`];
    if (check.newDiagnostics !== undefined && check.newDiagnostics.length > 0) {
      lines.push(check.comparedBy === "diagnostics" ? "Problems the patch introduced (the others existed before it):" : "Problems:", renderDiagnostics(check.newDiagnostics, 40));
    }
    if (check.kind !== "eslint" && check.output !== "") lines.push("Output:", check.output);
    blocks.push(lines.join("\n"));
  }
  const before = checks.filter((check) => !check.causedByPatch && check.status === "failed").map((check) => check.display);
  if (before.length > 0) blocks.push(`Already failing before the patch, not your concern: ${before.join(", ")}.`);
  return `${blocks.join("\n\n")}\n`;
}

/** The job's error when the last round's answer broke the output guards. */
export function formatError(check: AnswerCheck, rounds: number): GromptError {
  const first = check.violations[0];
  const noDiff = check.diff !== undefined && !check.diff.found;
  const what = noDiff ? "the answer holds no unified diff" : (first?.message ?? "the answer is not a usable diff");
  return new GromptError(noDiff ? "no_diff_found" : "patch_not_applicable", `No usable diff after ${roundsText(rounds)}: ${what}`, {
    hint: "Try a more capable model (--provider, --model), a narrower instruction, or more repair rounds (--max-rounds).",
    details: { violations: check.violations },
  });
}

/** The job's error when the model declined. */
export function declinedError(reason: string): GromptError {
  return new GromptError("no_diff_found", `The model declined to change the code: ${reason}`, {
    hint: "Give it the files it needs (--include), or make the instruction more precise.",
    details: { declined: true, reason },
  });
}

/** The job's error when checks still fail after the last round. */
export function checksFailedError(checks: readonly JudgedCheck[], rounds: number, jobId: string): GromptError {
  const broken = checks.filter((check) => check.causedByPatch);
  const first = broken[0]?.newDiagnostics?.[0];
  const detail = first === undefined ? "" : `: ${renderDiagnostics([first])}`;
  const names = broken.map((check) => check.display).join(", ");
  return new GromptError("checks_failed", `The patch still breaks ${names} after ${roundsText(rounds)}${detail}`, {
    hint: `The unvalidated patch is stored (grompt jobs show ${jobId}); apply it anyway with \`grompt apply ${jobId} --allow-unvalidated\`, or raise --max-rounds.`,
    details: { checks: broken.map((check) => ({ name: check.name, status: check.status, newDiagnostics: check.newDiagnostics?.slice(0, 20) })) },
  });
}

const roundsText = (rounds: number): string => `${rounds} round${rounds === 1 ? "" : "s"}`;
