import type { GenInput } from "../../../core/ports/provider-port";
import type { PromptGuards } from "../prompt-schema";
import { countLines, estimateTokens } from "./count-tokens";
import type { GuardViolation } from "./guard-violation";

/** Size of a rendered input, system and user together. */
export interface InputMeasure {
  lines: number;
  tokens: number;
}

export function measureInput(input: GenInput): InputMeasure {
  const parts = [input.system ?? "", input.user];
  return {
    lines: parts.reduce((sum, part) => sum + countLines(part), 0),
    tokens: parts.reduce((sum, part) => sum + estimateTokens(part), 0),
  };
}

/** Checks `max_lines` and `max_tokens` against the rendered input, before any provider call. */
export function checkInputGuards(guards: PromptGuards, input: GenInput, measure: InputMeasure = measureFor(guards, input)): GuardViolation[] {
  const violations: GuardViolation[] = [];
  if (guards.max_lines !== undefined && measure.lines > guards.max_lines) {
    violations.push({
      guard: "max_lines",
      side: "input",
      message: `the rendered input has ${measure.lines} lines, more than the ${guards.max_lines} allowed`,
      limit: guards.max_lines,
      actual: measure.lines,
    });
  }
  if (guards.max_tokens !== undefined && measure.tokens > guards.max_tokens) {
    violations.push({
      guard: "max_tokens",
      side: "input",
      message: `the rendered input has about ${measure.tokens} tokens, more than the ${guards.max_tokens} allowed`,
      limit: guards.max_tokens,
      actual: measure.tokens,
    });
  }
  return violations;
}

/**
 * The measure the guards need: tokens are counted only when the input could exceed `max_tokens`.
 * A token covers at least one UTF-8 byte, so an input of at most `max_tokens` bytes cannot (its
 * token figure is then left at 0, below the limit). Linting the built-in prompts' evals therefore
 * never loads the tokenizer.
 */
function measureFor(guards: PromptGuards, input: GenInput): InputMeasure {
  const parts = [input.system ?? "", input.user];
  const bytes = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  const lines = parts.reduce((sum, part) => sum + countLines(part), 0);
  return guards.max_tokens !== undefined && bytes > guards.max_tokens ? { lines, tokens: measureInput(input).tokens } : { lines, tokens: 0 };
}
