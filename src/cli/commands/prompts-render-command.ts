import type { Command } from "commander";
import chalk from "chalk";
import { createContainer } from "../../app/container";
import { checkInputGuards, measureInput } from "../../app/prompts/guards/input-guards";
import { renderPrompt } from "../../app/prompts/render-prompt";
import { globalOptions } from "../global-options";
import { type VarFlags, collect, varsFromFlags } from "./var-flags";

export function registerPromptsRenderCommand(prompts: Command): void {
  prompts
    .command("render")
    .description("print a prompt's system and user messages rendered with the given values (no provider call)")
    .argument("<id>", "prompt id")
    .option("--var <name=value>", "an input value (repeat for several inputs, or for the items of a list input)", collect)
    .option("--var-file <name=path>", "an input value read from a file (`-` reads stdin)", collect)
    .option("--json", "print JSON: system, user, lines, tokens, guard violations")
    .action(async (id: string, options: VarFlags & { json?: boolean }, command: Command) => {
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
    });
}

const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);
