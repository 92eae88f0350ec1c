import type { CorpusCase } from "./corpus-case";
import { generateApplicableCases } from "./generate-cases";
import { generateRefusalCases } from "./generated-refusal-cases";
import { handApplicableCases } from "./hand-applicable-cases";
import { handRefusalCases } from "./hand-refusal-cases";

/** The whole corpus: generated from real files (edits × mangles, refusals) plus hand-written cases. */
export function loadCorpus(): CorpusCase[] {
  const cases = [...generateApplicableCases(), ...handApplicableCases(), ...generateRefusalCases(), ...handRefusalCases()];
  const names = new Set<string>();
  for (const corpusCase of cases) {
    if (names.has(corpusCase.name)) throw new Error(`duplicate corpus case ${corpusCase.name}`);
    names.add(corpusCase.name);
  }
  return cases;
}
