import type { Command } from "commander";

export function registerPromptsLintCommand(prompts: Command): void {
  prompts
    .command("lint")
    .description("check prompt files: schema, template variables against inputs, guards, evals (all registry files by default)")
    .argument("[files...]", "prompt files or directories")
    .option("--json", "print JSON")
    .action(async (paths: string[], options: { json?: boolean }, command: Command) => (await import("../actions/prompts-lint-action")).promptsLintAction(paths, options, command));
}
