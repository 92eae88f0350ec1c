import { Command, Option } from "commander";
import { registerApplyCommand } from "./commands/apply-command";
import { registerAskCommand } from "./commands/ask-command";
import { registerConfigCommand } from "./commands/config-command";
import { registerCraftCommand } from "./commands/craft-command";
import { registerEvolveCommand } from "./commands/evolve-command";
import { registerJobsCommand } from "./commands/jobs-command";
import { registerPatchCommand } from "./commands/patch-command";
import { registerPromptsCommand } from "./commands/prompts-command";
import { registerProvidersCommand } from "./commands/providers-command";
import { registerServeCommand } from "./commands/serve-command";
import { registerSnapshotCommand } from "./commands/snapshot-command";
import { version } from "./version";

/** The whole command tree; every listed command works (no stubs). */
export function buildProgram(): Command {
  const program = new Command("grompt")
    .description("Instruction in, validated patch out — and rough ideas into sharp prompts — through any LLM vendor.")
    .version(version, "-V, --version")
    .addOption(new Option("--cwd <dir>", "run as if started in this directory").default(process.cwd(), "current directory"))
    .addOption(new Option("--verbose", "log to stderr and show stack traces"))
    .addOption(new Option("--log-prompts", "log prompts and source text (default: only their sizes and hashes)"))
    .showSuggestionAfterError(true)
    // Inherited by every subcommand registered below: a wrong flag or argument ends with the hint.
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message) });
  // Listed in the order a user meets them (this is the order of `grompt --help`).
  registerEvolveCommand(program);
  registerApplyCommand(program);
  registerCraftCommand(program);
  registerAskCommand(program);
  registerPromptsCommand(program);
  registerProvidersCommand(program);
  registerSnapshotCommand(program);
  registerPatchCommand(program);
  registerServeCommand(program);
  registerJobsCommand(program);
  registerConfigCommand(program);
  return program;
}
