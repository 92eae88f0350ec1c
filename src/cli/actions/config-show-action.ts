import type { Command } from "commander";
import { stringify } from "yaml";
import { maskSecrets } from "../../app/config/mask-secrets";
import { withContainer } from "../open-container";

/** `grompt config show`: the effective configuration, secrets masked. */
export async function configShowAction(options: { json?: boolean }, command: Command): Promise<void> {
  await withContainer(command, async (container) => {
    const effective = { home: container.home, files: container.configFiles, ...(maskSecrets(container.config) as object) };
    process.stdout.write(options.json === true ? `${JSON.stringify(effective, null, 2)}\n` : stringify(effective));
  });
}
