import type { Command } from "commander";
import { stringify } from "yaml";
import { maskSecrets } from "../../app/config/mask-secrets";
import { withContainer } from "../open-container";

export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("inspect grompt's configuration");
  config
    .command("show")
    .description("print the effective configuration (all layers merged, secrets masked)")
    .option("--json", "print JSON instead of YAML")
    .action(async (options: { json?: boolean }, command: Command) =>
      withContainer(command, async (container) => {
        const effective = { home: container.home, files: container.configFiles, ...(maskSecrets(container.config) as object) };
        process.stdout.write(options.json === true ? `${JSON.stringify(effective, null, 2)}\n` : stringify(effective));
      }),
    );
}
