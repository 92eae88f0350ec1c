import type { GenInput, GenOptions, GenResult } from "../../core/ports/provider-port";
import { guardViolatedError } from "./guards/guard-violation";
import { type InputMeasure, checkInputGuards, measureInput } from "./guards/input-guards";
import { type OutputCheck, checkOutputGuards } from "./guards/output-guards";
import type { PromptDefinition, VarValue } from "./prompt-schema";
import { renderPrompt } from "./render-prompt";

/** Any provider's `generate` (ProviderPort.generate, a replay, a test double). */
export type GenerateFn = (input: GenInput, options?: GenOptions) => Promise<GenResult>;

export interface PromptCallSettings {
  /** FF_JSON_MODE: ask for the vendor's JSON mode when the prompt answers in JSON. */
  jsonMode?: boolean;
  /** The caller's options (flags, request body); they win over the prompt's own `options`. */
  options?: GenOptions;
}

/** A rendered request that passed the input guards, ready for any provider. */
export interface PreparedPromptCall {
  promptId: string;
  promptVersion: string;
  input: GenInput;
  options: GenOptions;
  measure: InputMeasure;
}

export interface AnswerCheck extends OutputCheck {
  ok: boolean;
}

/**
 * Step 1 of every registry-driven call: render the prompt with `vars` and enforce the input guards.
 * Throws `invalid_input` (missing/unknown inputs) or `guard_violated` (side "input").
 */
export function preparePromptCall(prompt: PromptDefinition, vars: Readonly<Record<string, VarValue | undefined>>, settings: PromptCallSettings = {}): PreparedPromptCall {
  const input = renderPrompt(prompt, vars);
  const measure = measureInput(input);
  const violations = checkInputGuards(prompt.guards, input, measure);
  if (violations.length > 0) throw guardViolatedError(prompt.id, violations);
  return { promptId: prompt.id, promptVersion: prompt.version, input, options: promptOptions(prompt, settings), measure };
}

/** Step 3: the answer against the output guards; never throws, so a repair loop can read the violations. */
export function checkPromptAnswer(prompt: PromptDefinition, answer: string): AnswerCheck {
  const check = checkOutputGuards(prompt.guards, prompt.output, answer);
  return { ...check, ok: check.violations.length === 0 };
}

/** Step 3 for callers with no repair loop (craft): throws `guard_violated` (side "output"). */
export function assertPromptAnswer(prompt: PromptDefinition, answer: string): AnswerCheck {
  const check = checkPromptAnswer(prompt, answer);
  if (!check.ok) throw guardViolatedError(prompt.id, check.violations);
  return check;
}

export interface PromptCallResult {
  prepared: PreparedPromptCall;
  result: GenResult;
  check: AnswerCheck;
}

/** The whole round trip for non-streaming callers: prepare → generate → check (not thrown). */
export async function callPrompt(request: {
  prompt: PromptDefinition;
  vars: Readonly<Record<string, VarValue | undefined>>;
  generate: GenerateFn;
  settings?: PromptCallSettings;
}): Promise<PromptCallResult> {
  const prepared = preparePromptCall(request.prompt, request.vars, request.settings);
  const result = await request.generate(prepared.input, prepared.options);
  return { prepared, result, check: checkPromptAnswer(request.prompt, result.text) };
}

/** The prompt's `options` in GenOptions terms, under the caller's. */
export function promptOptions(prompt: PromptDefinition, settings: PromptCallSettings = {}): GenOptions {
  const own = prompt.options ?? {};
  const options: GenOptions = {};
  if (own.temperature !== undefined) options.temperature = own.temperature;
  if (own.top_p !== undefined) options.topP = own.top_p;
  if (own.max_tokens !== undefined) options.maxTokens = own.max_tokens;
  if (own.stop !== undefined) options.stopSequences = [...own.stop];
  if (settings.jsonMode === true && prompt.output.format === "json") options.jsonMode = true;
  for (const [key, value] of Object.entries(settings.options ?? {})) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return options;
}
