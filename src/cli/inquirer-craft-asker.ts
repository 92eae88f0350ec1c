import type { CraftAsker } from "../app/craft/ask-craft-request";
import { GromptError } from "../core/domain/errors";

/**
 * Craft's questions through @inquirer/prompts, on the given streams (stderr by default, so that
 * `grompt craft > prompt.md` still asks on the terminal). Ctrl-C while asking is an interruption
 * before anything was created (exit 130). Loaded on first question: other commands never pay for it.
 */
export function inquirerCraftAsker(context: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = { output: process.stderr }): CraftAsker {
  const interrupted = (error: unknown): never => {
    if (error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError")) {
      throw new GromptError("interrupted", "craft was interrupted while asking; nothing was created");
    }
    throw error;
  };
  return {
    async text(question) {
      const { input } = await import("@inquirer/prompts");
      return input({ message: question.message, default: question.default }, context).catch(interrupted);
    },
    async choose(question) {
      const { select } = await import("@inquirer/prompts");
      const choices = question.choices.map((choice) => ({ value: choice.value, name: choice.value, description: choice.description }));
      return select({ message: question.message, choices, default: question.default }, context).catch(interrupted);
    },
  };
}
