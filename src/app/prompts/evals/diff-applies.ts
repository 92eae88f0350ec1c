import { inspectDiff } from "../guards/inspect-diff";
import type { FixtureTree } from "./fixture-tree";

export interface DiffApplyOutcome {
  ok: boolean;
  reason: string;
}

/**
 * How `diff-applies` decides. This is the extension point for the patch engine: the composition
 * root passes a function that really applies the answer's diff to the fixture in memory.
 */
export type DiffAppliesFn = (answer: string, fixture: FixtureTree) => DiffApplyOutcome | Promise<DiffApplyOutcome>;

/**
 * The stand-in used until the patch engine is wired: the diff must parse, every file it modifies,
 * renames or deletes must exist in the fixture, and every file it creates must not. Hunks are not
 * located in the files.
 */
export const structuralDiffApplies: DiffAppliesFn = (answer, fixture) => {
  const diff = inspectDiff(answer);
  if (!diff.found) return { ok: false, reason: "the answer holds no unified diff" };
  const problem = diff.problems[0];
  if (problem !== undefined) return { ok: false, reason: `the diff does not parse: line ${problem.line}: ${problem.message}` };
  for (const file of diff.files) {
    if (file.oldPath !== null && !fixture.files.has(file.oldPath)) {
      return { ok: false, reason: `the diff changes ${file.oldPath}, which the fixture does not have` };
    }
    if (file.kind === "create" && file.newPath !== null && fixture.files.has(file.newPath)) {
      return { ok: false, reason: `the diff creates ${file.newPath}, which already exists` };
    }
  }
  const names = diff.files.map((file) => file.newPath ?? file.oldPath).join(", ");
  return { ok: true, reason: `the diff parses and targets existing files (${names})` };
};
