import { describe, expect, it } from "vitest";
import { refusalReasons } from "../../src/app/patch";
import type { CorpusCase } from "./corpus/corpus-case";
import { loadCorpus } from "./corpus/load-corpus";
import { mangles } from "./corpus/mangles";
import { runCase, runGitApply, type CaseResult } from "./corpus/run-case";

const corpus = loadCorpus();
const applicable = corpus.filter((corpusCase) => corpusCase.expect === "applied");
const refusals = corpus.filter((corpusCase) => corpusCase.expect === "refused");

/** Runs cases a few at a time: each one is a temp tree on disk. */
async function runAll(cases: readonly CorpusCase[], run: (corpusCase: CorpusCase) => Promise<CaseResult>): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (let i = 0; i < cases.length; i += 8) results.push(...(await Promise.all(cases.slice(i, i + 8).map(run))));
  return results;
}

const describeFailures = (results: readonly CaseResult[]): string =>
  results
    .filter((result) => result.outcome !== "correct")
    .map((result) => `${result.outcome} ${result.name}: ${result.detail ?? ""}`)
    .join("\n");

describe("patch corpus (mangled diffs of real files)", () => {
  it("is substantial and covers every mangle and every refusal reason", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const tags = new Set(corpus.flatMap((corpusCase) => corpusCase.tags));
    for (const mangle of mangles) expect(tags, mangle.name).toContain(mangle.name);
    const reasons = new Set(refusals.map((corpusCase) => corpusCase.reason));
    for (const reason of refusalReasons) expect(reasons, reason).toContain(reason);
  });

  it("applies ≥ 95 % of the applicable cases to exactly the intended bytes, refuses 100 % of the refusals, never changes a tree wrongly", async () => {
    const applied = await runAll(applicable, runCase);
    const refused = await runAll(refusals, runCase);
    const correct = applied.filter((result) => result.outcome === "correct").length;
    const wrong = [...applied, ...refused].filter((result) => result.outcome === "wrong");
    const rate = correct / applied.length;
    console.log(
      `corpus: ${corpus.length} cases; applicable ${correct}/${applied.length} (${(rate * 100).toFixed(1)} %), ` +
        `refusals ${refused.filter((result) => result.outcome === "correct").length}/${refused.length}, wrong trees ${wrong.length}`,
    );
    expect(wrong, describeFailures(wrong)).toEqual([]);
    expect(refused.filter((result) => result.outcome !== "correct"), describeFailures(refused)).toEqual([]);
    expect(rate, describeFailures(applied)).toBeGreaterThanOrEqual(0.95);
  });

  it("for context: plain `git apply` on the same answers manages every clean case and far fewer of the rest", async () => {
    const results = await runAll(applicable, runGitApply);
    const byName = new Map(results.map((result) => [result.name, result]));
    const cleanCases = applicable.filter((corpusCase) => corpusCase.clean);
    const gitCorrect = results.filter((result) => result.outcome === "correct").length;
    console.log(`git apply: ${gitCorrect}/${applicable.length} applicable cases (${((gitCorrect / applicable.length) * 100).toFixed(1)} %)`);
    // The generator's clean diffs are real, valid diffs: git takes every one.
    expect(cleanCases.filter((corpusCase) => byName.get(corpusCase.name)?.outcome !== "correct").map((corpusCase) => corpusCase.name)).toEqual([]);
    expect(gitCorrect / applicable.length).toBeLessThan(0.75);
  });
});
