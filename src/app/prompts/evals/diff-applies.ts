import { planPatch } from "../../patch/plan-patch";
import type { PatchPlan } from "../../patch/patch-plan";
import { createFixturePatchTree } from "./fixture-patch-tree";
import type { FixtureTree } from "./fixture-tree";

export interface DiffApplyOutcome {
  ok: boolean;
  reason: string;
}

/** How `diff-applies` decides; `runEvals` takes another one through its deps (tests, other engines). */
export type DiffAppliesFn = (answer: string, fixture: FixtureTree) => DiffApplyOutcome | Promise<DiffApplyOutcome>;

/**
 * The patch engine's verdict, exactly as `grompt patch apply --check` would give it on the fixture:
 * every diff in the answer is extracted, parsed tolerantly and each hunk placed in the fixture's
 * files, in memory — nothing is written anywhere.
 */
export const patchEngineDiffApplies: DiffAppliesFn = async (answer, fixture) => {
  const outcome = await planPatch({ root: "/", text: answer }, { tree: createFixturePatchTree(fixture) });
  if (!outcome.ok) return { ok: false, reason: `${outcome.failure.code === "no_diff_found" ? "no diff" : "does not apply"}: ${outcome.failure.message}` };
  return { ok: true, reason: `applies: ${describePlan(outcome.plan)}` };
};

function describePlan(plan: PatchPlan): string {
  const { stats } = plan;
  const strategies = Object.entries(stats.strategies)
    .map(([strategy, count]) => `${count} ${strategy}`)
    .join(", ");
  const files = plan.files.map((file) => (file.operation === "modify" ? file.path : `${file.path} (${file.operation})`)).join(", ");
  return `${stats.hunks} hunk(s) in ${files}${strategies === "" ? "" : ` — ${strategies}`}`;
}
