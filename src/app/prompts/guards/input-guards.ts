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
export function checkInputGuards(guards: PromptGuards, input: GenInput, measure: InputMeasure = measureInput(input)): GuardViolation[] {
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
