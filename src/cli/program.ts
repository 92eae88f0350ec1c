import { Command, Option } from "commander";
import { registerConfigCommand } from "./commands/config-command";
import { registerSnapshotCommand } from "./commands/snapshot-command";
import { version } from "./version";

/** The whole command tree; every listed command works (no stubs). */
export function buildProgram(): Command {
  const program = new Command("grompt")
    .description("Instruction in, validated patch out — and rough ideas into sharp prompts — through any LLM vendor.")
    .version(version, "-V, --version")
    .addOption(new Option("--cwd <dir>", "run as if started in this directory").default(process.cwd(), "current directory"))
    .addOption(new Option("--verbose", "log to stderr and show stack traces"))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(message) });
  registerConfigCommand(program);
  registerSnapshotCommand(program);
  return program;
}
