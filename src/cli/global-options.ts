import type { Command } from "commander";

export interface GlobalOptions {
  cwd: string;
  verbose?: boolean;
  /** `--log-prompts`: log prompts and source text instead of only their sizes and hashes. */
  logPrompts?: boolean;
}

/** Options given before or after the subcommand (`grompt --cwd x jobs list`). */
export const globalOptions = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();
