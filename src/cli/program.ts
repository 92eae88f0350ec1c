import { Command, Option } from "commander";
import { registerApplyCommand } from "./commands/apply-command";
import { registerAskCommand } from "./commands/ask-command";
import { registerConfigCommand } from "./commands/config-command";
import { registerEvolveCommand } from "./commands/evolve-command";
import { registerCraftCommand } from "./commands/craft-command";
import { registerPromptsCommand } from "./commands/prompts-command";
import { registerProvidersCommand } from "./commands/providers-command";
import { registerServeCommand } from "./commands/serve-command";
import { registerJobsCommand } from "./commands/jobs-command";
import { registerPatchCommand } from "./commands/patch-command";
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
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message) });
  registerConfigCommand(program);
  registerPromptsCommand(program);
  registerProvidersCommand(program);
  registerAskCommand(program);
  registerCraftCommand(program);
  registerJobsCommand(program);
  registerPatchCommand(program);
  registerServeCommand(program);
  registerSnapshotCommand(program);
  registerEvolveCommand(program);
  registerApplyCommand(program);
  return program;
}
