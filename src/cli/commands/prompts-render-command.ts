import type { Command } from "commander";
import { type VarFlags, collect } from "./var-flags";

export function registerPromptsRenderCommand(prompts: Command): void {
  prompts
    .command("render")
    .description("print a prompt's system and user messages rendered with the given values (no provider call)")
    .argument("<id>", "prompt id")
    .option("--var <name=value>", "an input value (repeat for several inputs, or for the items of a list input)", collect)
    .option("--var-file <name=path>", "an input value read from a file (`-` reads stdin)", collect)
    .option("--json", "print JSON: system, user, lines, tokens, guard violations")
    .action(async (id: string, options: VarFlags & { json?: boolean }, command: Command) => (await import("../actions/prompts-render-action")).promptsRenderAction(id, options, command));
}
