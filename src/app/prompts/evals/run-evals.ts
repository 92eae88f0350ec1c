import { toGromptError } from "../../../core/domain/errors";
import type { GenUsage } from "../../../core/ports/provider-port";
import { estimateTokens } from "../guards/count-tokens";
import type { GuardViolation } from "../guards/guard-violation";
import { type GenerateFn, type PromptCallSettings, checkPromptAnswer, preparePromptCall } from "../prompt-call";
import type { EvalCase, PromptDefinition } from "../prompt-schema";
import { type AssertionOutcome, evaluateAssertion } from "./assertions";
import { type DiffAppliesFn, patchEngineDiffApplies } from "./diff-applies";
import { type ReadFixtureDir, fixtureForCase, readFixtureDir } from "./fixture-tree";

export interface EvalTarget {
  prompt: PromptDefinition;
  /** The prompt's file; `fixture.dir` is relative to it. */
  file?: string;
}

export interface EvalCaseResult {
  promptId: string;
  promptVersion: string;
  caseName: string;
  pass: boolean;
  /** Weighted share of passed assertions, 0–1. */
  score: number;
  /** One line: what failed, or what passed. */
  reason: string;
  assertions: AssertionOutcome[];
  /** Broken output guards: reported, but only the case's assertions decide pass or fail. */
  guardViolations: GuardViolation[];
  usage?: GenUsage;
  /** usage.total, or the estimate of input + answer when the provider gave no usage. */
  tokens: number;
  /** Micro-dollars; null when unknown (no price, or no call made). */
  costMicros: number | null;
  latencyMs: number;
  provider?: string;
  model?: string;
  /** Set when the case could not run (input guard, provider error). */
  error?: { code: string; message: string };
}

export interface EvalRunReport {
  results: EvalCaseResult[];
  passed: number;
  failed: number;
  tokens: number;
  /** Null when any case's cost is unknown. */
  costMicros: number | null;
}

export interface RunEvalsRequest {
  prompts: readonly EvalTarget[];
  /** Any provider's generate: ProviderPort.generate, a replay of a cassette, a test double. */
  generate: GenerateFn;
  /** Which cases to run (default: all). */
  only?: (promptId: string, caseName: string) => boolean;
  settings?: PromptCallSettings;
  /** Called before each case runs (progress output). */
  onCaseStarted?: (promptId: string, caseName: string) => void;
  /** Called after each case, in order (progress output). */
  onCaseFinished?: (result: EvalCaseResult) => void;
}

export interface RunEvalsDeps {
  /** Decides `diff-applies` (default: the patch engine, on the case's fixture in memory). */
  diffApplies?: DiffAppliesFn;
  readFixtureDir?: ReadFixtureDir;
  now?: () => number;
}

/** Runs every eval case of every prompt, one at a time in file order, and scores the answers. */
export async function runEvals(request: RunEvalsRequest, deps: RunEvalsDeps = {}): Promise<EvalRunReport> {
  const results: EvalCaseResult[] = [];
  for (const target of request.prompts) {
    for (const evalCase of target.prompt.evals) {
      if (request.only !== undefined && !request.only(target.prompt.id, evalCase.name)) continue;
      request.onCaseStarted?.(target.prompt.id, evalCase.name);
      const result = await runCase(target, evalCase, request, deps);
      results.push(result);
      request.onCaseFinished?.(result);
    }
  }
  const costs = results.map((r) => r.costMicros);
  return {
    results,
    passed: results.filter((r) => r.pass).length,
    failed: results.filter((r) => !r.pass).length,
    tokens: results.reduce((sum, r) => sum + r.tokens, 0),
    costMicros: costs.some((c) => c === null) ? null : costs.reduce<number>((sum, c) => sum + (c ?? 0), 0),
  };
}

async function runCase(target: EvalTarget, evalCase: EvalCase, request: RunEvalsRequest, deps: RunEvalsDeps): Promise<EvalCaseResult> {
  const now = deps.now ?? (() => performance.now());
  const base = { promptId: target.prompt.id, promptVersion: target.prompt.version, caseName: evalCase.name, assertions: [], guardViolations: [], score: 0 };
  const started = now();
  let prepared;
  let result;
  try {
    prepared = preparePromptCall(target.prompt, evalCase.vars, request.settings);
    result = await request.generate(prepared.input, prepared.options);
  } catch (thrown) {
    const error = toGromptError(thrown);
    return { ...base, pass: false, reason: `${error.code}: ${error.message}`, tokens: prepared?.measure.tokens ?? 0, costMicros: null, latencyMs: now() - started, error: { code: error.code, message: error.message } };
  }
  const latencyMs = now() - started;
  const completionTokens = result.usage?.completion ?? estimateTokens(result.text);
  let fixture;
  try {
    fixture = fixtureForCase(evalCase, target.file, deps.readFixtureDir ?? readFixtureDir);
  } catch (thrown) {
    const error = toGromptError(thrown);
    return { ...base, pass: false, reason: `${error.code}: ${error.message}`, tokens: 0, costMicros: null, latencyMs, error: { code: error.code, message: error.message } };
  }
  const context = { output: result.text, completionTokens, fixture, diffApplies: deps.diffApplies ?? patchEngineDiffApplies };
  const assertions: AssertionOutcome[] = [];
  for (const assertion of evalCase.assert) assertions.push(await evaluateAssertion(assertion, context));

  const totalWeight = assertions.reduce((sum, a) => sum + a.weight, 0);
  const passedWeight = assertions.filter((a) => a.pass).reduce((sum, a) => sum + a.weight, 0);
  const score = totalWeight === 0 ? (assertions.every((a) => a.pass) ? 1 : 0) : passedWeight / totalWeight;
  // Without a threshold every weighted assertion must pass; weight 0 makes one informational.
  const failing = assertions.filter((a) => !a.pass && a.weight > 0);
  const pass = evalCase.threshold === undefined ? failing.length === 0 : score >= evalCase.threshold;
  const passedCount = assertions.filter((a) => a.pass).length;
  const informational = assertions.filter((a) => !a.pass && a.weight === 0).map((a) => `${a.type}: ${a.reason}`);
  const reason = pass
    ? [
        evalCase.threshold === undefined ? `${passedCount}/${assertions.length} assertions passed` : `score ${score.toFixed(2)} ≥ ${evalCase.threshold}`,
        ...(informational.length > 0 ? [`informational: ${informational.join("; ")}`] : []),
      ].join("; ")
    : `${failing.map((a) => `${a.type}: ${a.reason}`).join("; ")}${evalCase.threshold === undefined ? "" : ` (score ${score.toFixed(2)} < ${evalCase.threshold})`}`;

  return {
    ...base,
    pass,
    score,
    reason,
    assertions,
    guardViolations: checkPromptAnswer(target.prompt, result.text).violations,
    usage: result.usage,
    tokens: result.usage?.total ?? prepared.measure.tokens + completionTokens,
    costMicros: result.costMicros ?? null,
    latencyMs,
    provider: result.provider,
    model: result.model,
  };
}
