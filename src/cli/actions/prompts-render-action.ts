import type { Command } from "commander";
import chalk from "chalk";
import { createContainer } from "../../app/container";
import { checkInputGuards, measureInput } from "../../app/prompts/guards/input-guards";
import { renderPrompt } from "../../app/prompts/render-prompt";
import { globalOptions } from "../global-options";
import { type VarFlags, varsFromFlags } from "../commands/var-flags";

/** `grompt prompts render <id>`: the rendered messages, with input-guard warnings. */
export async function promptsRenderAction(id: string, options: VarFlags & { json?: boolean }, command: Command): Promise<void> {
  const { cwd, verbose } = globalOptions(command);
  const container = createContainer({ cwd, env: process.env, verbose });
  try {
    const { prompt } = container.prompts().get(id);
    const rendered = renderPrompt(prompt, varsFromFlags(options, prompt, cwd));
    const measure = measureInput(rendered);
    const violations = checkInputGuards(prompt.guards, rendered, measure);
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify({ id: prompt.id, version: prompt.version, ...rendered, ...measure, violations }, null, 2)}\n`);
      return;
    }
    if (rendered.system !== undefined) process.stdout.write(`--- system ---\n${withNewline(rendered.system)}`);
    process.stdout.write(`--- user ---\n${withNewline(rendered.user)}`);
    process.stderr.write(chalk.dim(`${prompt.id} ${prompt.version}: ${measure.lines} lines, about ${measure.tokens} tokens\n`));
    // A preview still renders when a guard would stop the real call; it says so.
    for (const violation of violations) process.stderr.write(`${chalk.yellow("warning")} input guard ${violation.guard}: ${violation.message}\n`);
  } finally {
    await container.close();
  }
}

const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);
