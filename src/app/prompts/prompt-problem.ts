import { GromptError } from "../../core/domain/errors";
import type { SourcePosition } from "./yaml-source";

/** One thing wrong with a prompt file, pointed at its line and column. */
export interface PromptProblem extends SourcePosition {
  file: string;
  message: string;
}

export const formatProblem = (problem: PromptProblem, displayFile = problem.file): string =>
  `${displayFile}:${problem.line}:${problem.column}: ${problem.message}`;

/** Problems sorted by file, then position, so output is stable. */
export const sortProblems = (problems: readonly PromptProblem[]): PromptProblem[] =>
  [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);

/** The error a broken prompt file raises when something needs the registry. */
export function promptInvalidError(problems: readonly PromptProblem[]): GromptError {
  const sorted = sortProblems(problems);
  const first = sorted[0];
  const more = sorted.length > 1 ? ` (and ${sorted.length - 1} more)` : "";
  return new GromptError("prompt_invalid", `${first === undefined ? "a prompt file is not valid" : formatProblem(first)}${more}`, {
    hint: `Run \`grompt prompts lint${first === undefined ? "" : ` ${first.file}`}\` to see every problem.`,
    details: { problems: sorted },
  });
}
