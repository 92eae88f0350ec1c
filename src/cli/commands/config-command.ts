import type { Command } from "commander";

export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("inspect grompt's configuration");
  config
    .command("show")
    .description("print the effective configuration (all layers merged, secrets masked)")
    .option("--json", "print JSON instead of YAML")
    .action(async (options: { json?: boolean }, command: Command) => (await import("../actions/config-show-action")).configShowAction(options, command));
}
