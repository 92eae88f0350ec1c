import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CheckRun, CheckSpec } from "../../../src/app/evolve/checks/check-spec";
import { createCheckSession } from "../../../src/app/evolve/checks/check-session";
import { type RoundRequest, runEvolveRounds } from "../../../src/app/evolve/run-evolve-rounds";
import { createWorktree } from "../../../src/app/evolve/worktree/create-worktree";
import { diffFromBase } from "../../../src/app/evolve/worktree/diff-from-base";
import { restoreBase } from "../../../src/app/evolve/worktree/restore-base";
import { checkPromptAnswer } from "../../../src/app/prompts/prompt-call";
import { loadPromptRegistry } from "../../../src/app/prompts/load-prompt-registry";
import type { JobEvent } from "../../../src/core/domain/job-events";
import { makeProject } from "../../support/git-fixture";

const registry = loadPromptRegistry([{ source: "built-in", dir: join(import.meta.dirname, "..", "..", "..", "prompts") }]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const fence = (diff: string) => `\`\`\`diff\n${diff}\`\`\`\n`;
const good = fence("--- a/src/a.ts\n+++ b/src/a.ts\n@@ ... @@\n-export const a = 1;\n+export const a: number = 1;\n");
const breaks = fence("--- a/src/a.ts\n+++ b/src/a.ts\n@@ ... @@\n-export const a = 1;\n+export const a: string = 1;\n");
const misplaced = fence("--- a/src/a.ts\n+++ b/src/a.ts\n@@ ... @@\n-export const b = 1;\n+export const b = 2;\n");

/** A check double: fails while src/a.ts declares a string, as tsc would. */
const fakeTsc: CheckSpec = { name: "tsc", kind: "tsc", display: "tsc --noEmit", run: { file: "tsc", args: [] }, timeoutMs: 1000, scope: "project", source: "detected" };
function typecheck(cwd: string, extra: string[] = []): CheckRun {
  const broken = readFileSync(join(cwd, "src/a.ts"), "utf8").includes(": string");
  const diagnostics = [...extra, ...(broken ? ["src/a.ts(1,14): error TS2322: Type 'number' is not assignable to type 'string'."] : [])];
  const parsed = diagnostics.map((line) => ({ file: line.split("(")[0] ?? "", code: /TS\d+/.exec(line)?.[0] ?? "", message: line.split(": ").slice(2).join(": "), line: 1, column: 14 }));
  return { name: "tsc", kind: "tsc", display: "tsc --noEmit", status: diagnostics.length > 0 ? "failed" : "passed", exitCode: diagnostics.length > 0 ? 2 : 0, durationMs: 5, output: diagnostics.join("\n"), diagnostics: parsed };
}

async function setup(answers: string[], options: { maxRounds?: number; baselineErrors?: string[]; checks?: boolean } = {}) {
  const made = makeProject({ "src/a.ts": "export const a = 1;\n", "src/b.ts": "export const b = 2;\n" }, { git: false });
  cleanups.push(made.cleanup);
  const worktree = await createWorktree({ cwd: made.dir, root: join(made.dir, "..", "worktrees"), label: "test" });
  cleanups.push(() => worktree.remove());
  const events: JobEvent[] = [];
  const requests: RoundRequest[] = [];
  const emit = async (event: JobEvent) => void events.push(event);
  const checks =
    options.checks === false
      ? undefined
      : createCheckSession({ checks: [fakeTsc], cwd: worktree.projectDir, emit, run: async ({ cwd }) => typecheck(cwd, options.baselineErrors) });
  const outcome = await runEvolveRounds({
    projectDir: worktree.projectDir,
    maxRounds: options.maxRounds ?? 2,
    jobId: "job-1",
    checks,
    emit,
    diff: (paths) => diffFromBase(worktree, paths),
    restore: (plan) => restoreBase(plan.root, plan.changes),
    async ask(request) {
      requests.push(request);
      const text = answers.shift() ?? "no more answers";
      const prompt = request.repair === undefined ? "refactor-small" : "evolve-repair";
      return { text, prompt, check: (answer) => checkPromptAnswer(registry.get(prompt).prompt, answer) };
    },
  });
  return { outcome, events, requests, worktree, original: made.dir };
}

describe("runEvolveRounds", () => {
  it("validates a good diff in one round and re-emits it with git", async () => {
    const { outcome, events, worktree } = await setup([good]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.rounds.map((round) => round.outcome)).toEqual(["validated"]);
    expect(outcome.patch.text).toContain("+export const a: number = 1;");
    expect(outcome.patch.text).toMatch(/^diff --git a\/src\/a\.ts b\/src\/a\.ts$/m);
    expect(readFileSync(join(worktree.projectDir, "src/a.ts"), "utf8")).toBe("export const a: number = 1;\n");
    expect(events.map((event) => event.type)).toEqual(["check-started", "check-finished", "patch-applied", "check-started", "check-finished"]);
    expect(events[4]).toMatchObject({ type: "check-finished", round: 1, status: "passed", causedByPatch: false });
  });

  it("feeds a check the patch broke back to the model, restoring the tree between rounds", async () => {
    const { outcome, requests, events } = await setup([breaks, good]);
    expect(outcome.ok).toBe(true);
    expect(outcome.rounds.map((round) => [round.round, round.prompt, round.outcome])).toEqual([
      [1, "refactor-small", "checks-failed"],
      [2, "evolve-repair", "validated"],
    ]);
    expect(requests[1]?.repair?.stage).toBe("checks");
    expect(requests[1]?.repair?.failedPatch).toBe(breaks);
    expect(requests[1]?.repair?.failure).toContain("tsc --noEmit failed (exit 2) because of the patch.");
    expect(requests[1]?.repair?.failure).toContain("src/a.ts:1:14 TS2322 Type 'number' is not assignable to type 'string'.");
    expect(events.find((event) => event.type === "repair-round-started")).toEqual({ type: "repair-round-started", round: 2, reason: "tsc --noEmit failed because of round 1's patch" });
  });

  it("gives up after the last round with checks_failed, keeping the unvalidated patch", async () => {
    const { outcome } = await setup([breaks, breaks], { maxRounds: 1 });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("checks_failed");
    expect(outcome.error.message).toBe("The patch still breaks tsc --noEmit after 2 rounds: src/a.ts:1:14 TS2322 Type 'number' is not assignable to type 'string'.");
    expect(outcome.patch?.text).toContain("+export const a: string = 1;");
    expect(outcome.patch?.round).toBe(2);
  });

  it("does not blame the patch for errors that were already there", async () => {
    const { outcome, events } = await setup([good], { baselineErrors: ["src/b.ts(1,1): error TS1005: ';' expected."] });
    expect(outcome.ok).toBe(true);
    expect(events.filter((event) => event.type === "check-finished").map((event) => [event.round, event.status, event.causedByPatch])).toEqual([
      [0, "failed", undefined],
      [1, "failed", false],
    ]);
  });

  it("repairs a patch that does not apply with the file's real lines, then a broken format", async () => {
    const { outcome, requests } = await setup([misplaced, "Here you go: I changed it.", good]);
    expect(outcome.ok).toBe(true);
    expect(requests.map((request) => request.repair?.stage)).toEqual([undefined, "apply", "format"]);
    expect(requests[1]?.repair?.failure).toContain("[context-not-found]");
    expect(requests[1]?.repair?.failure).toContain("export const a = 1;");
    expect(requests[2]?.repair?.failure).toContain("output_format: the answer holds no unified diff");
  });

  it("stops at once when the model declines, and reports garbage as no diff found", async () => {
    const declined = await setup(["CANNOT: src/c.ts is not in the context"]);
    expect(declined.outcome.ok).toBe(false);
    if (!declined.outcome.ok) expect(declined.outcome.error.toFailure()).toMatchObject({ code: "no_diff_found", message: "The model declined to change the code: src/c.ts is not in the context" });
    expect(declined.requests).toHaveLength(1);
    const garbage = await setup(["nope", "still nope"], { maxRounds: 1 });
    expect(garbage.outcome.ok).toBe(false);
    if (!garbage.outcome.ok) expect(garbage.outcome.error.message).toBe("No usable diff after 2 rounds: the answer holds no unified diff");
  });

  it("applies without checks when nothing validates", async () => {
    const { outcome, events } = await setup([good], { checks: false });
    expect(outcome.ok && outcome.rounds[0]?.outcome).toBe("applied");
    expect(events.map((event) => event.type)).toEqual(["patch-applied"]);
  });
});
