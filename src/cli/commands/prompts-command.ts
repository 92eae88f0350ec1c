import type { Command } from "commander";
import { registerPromptsEvalCommand } from "./prompts-eval-command";
import { registerPromptsLintCommand } from "./prompts-lint-command";
import { registerPromptsRenderCommand } from "./prompts-render-command";

const actions = async () => (await import("../actions/prompts-actions")).promptsActions;

/** `grompt prompts list | show | lint | render | eval`. */
export function registerPromptsCommand(program: Command): void {
  const prompts = program.command("prompts").description("the prompt registry: list, inspect, lint, render and evaluate prompts");

  prompts
    .command("list")
    .description("every prompt by id: version, purpose, the file that won and what it shadows")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => (await actions()).list(options, command));

  prompts
    .command("show")
    .description("a prompt's definition: inputs, guards, output, evals, system and template")
    .argument("<id>", "prompt id")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) => (await actions()).show(id, options, command));

  registerPromptsLintCommand(prompts);
  registerPromptsRenderCommand(prompts);
  registerPromptsEvalCommand(prompts);
}
