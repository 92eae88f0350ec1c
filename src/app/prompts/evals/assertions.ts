import { extractJson } from "../guards/extract-json";
import { inspectDiff } from "../guards/inspect-diff";
import { compileJsonSchema } from "../guards/json-schema";
import type { AssertionType, EvalAssertion } from "../prompt-schema";
import type { DiffAppliesFn } from "./diff-applies";
import type { FixtureTree } from "./fixture-tree";

export interface AssertionContext {
  /** The model's answer. */
  output: string;
  /** Completion tokens: the provider's count when it gave one, else the estimate. */
  completionTokens: number;
  fixture?: FixtureTree;
  diffApplies: DiffAppliesFn;
}

export interface AssertionOutcome {
  type: AssertionType;
  pass: boolean;
  /** Why it passed or failed, in one line. */
  reason: string;
  weight: number;
}

type Verdict = { pass: boolean; reason: string };
type Evaluator<T extends AssertionType> = (assertion: Extract<EvalAssertion, { type: T }>, context: AssertionContext) => Verdict | Promise<Verdict>;

const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

const evaluators: { [T in AssertionType]: Evaluator<T> } = {
  contains: ({ value }, { output }) =>
    output.includes(value) ? { pass: true, reason: `contains ${quote(value)}` } : { pass: false, reason: `does not contain ${quote(value)}` },
  "not-contains": ({ value }, { output }) =>
    output.includes(value) ? { pass: false, reason: `contains ${quote(value)}` } : { pass: true, reason: `does not contain ${quote(value)}` },
  regex: ({ value, flags }, { output }) => {
    const match = new RegExp(value, flags).exec(output);
    return match === null ? { pass: false, reason: `does not match /${value}/${flags ?? ""}` } : { pass: true, reason: `matches ${quote(match[0])}` };
  },
  "not-regex": ({ value, flags }, { output }) => {
    const match = new RegExp(value, flags).exec(output);
    return match === null ? { pass: true, reason: `does not match /${value}/${flags ?? ""}` } : { pass: false, reason: `matches ${quote(match[0])}` };
  },
  // Models end answers with a newline or two; surrounding whitespace is not part of the answer.
  equals: ({ value }, { output }) =>
    output.trim() === value.trim() ? { pass: true, reason: "equals the expected text" } : { pass: false, reason: `is ${quote(output.trim())}, not ${quote(value.trim())}` },
  "is-json": (_, { output }) => {
    const parsed = extractJson(output);
    return parsed.ok ? { pass: true, reason: "is JSON" } : { pass: false, reason: parsed.error };
  },
  "json-schema": ({ value }, { output }) => {
    const parsed = extractJson(output);
    if (!parsed.ok) return { pass: false, reason: parsed.error };
    const problems = compileJsonSchema(value).validate(parsed.value);
    return problems.length === 0 ? { pass: true, reason: "matches the JSON schema" } : { pass: false, reason: `does not match the JSON schema: ${problems.slice(0, 3).join("; ")}` };
  },
  "max-tokens": ({ value }, { completionTokens }) =>
    completionTokens <= value
      ? { pass: true, reason: `${completionTokens} tokens, within ${value}` }
      : { pass: false, reason: `${completionTokens} tokens, more than ${value}` },
  "diff-parses": (_, { output }) => {
    const diff = inspectDiff(output);
    if (!diff.found) return { pass: false, reason: "holds no unified diff" };
    const problem = diff.problems[0];
    if (problem !== undefined) return { pass: false, reason: `the diff does not parse: line ${problem.line}: ${problem.message}` };
    return { pass: true, reason: `a unified diff of ${diff.files.length} file(s)` };
  },
  "diff-applies": async (_, { output, fixture, diffApplies }) => {
    // Lint requires a fixture for diff-applies; an unlinted case still fails clearly.
    if (fixture === undefined) return { pass: false, reason: "the case has no fixture to apply the diff to" };
    const outcome = await diffApplies(output, fixture);
    return { pass: outcome.ok, reason: outcome.reason };
  },
};

/** Runs one assertion against an answer. Deterministic: same answer, same verdict. */
export async function evaluateAssertion(assertion: EvalAssertion, context: AssertionContext): Promise<AssertionOutcome> {
  const evaluate = evaluators[assertion.type] as Evaluator<AssertionType>;
  const verdict = await evaluate(assertion as never, context);
  return { type: assertion.type, pass: verdict.pass, reason: verdict.reason, weight: assertion.weight };
}
