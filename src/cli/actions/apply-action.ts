import chalk from "chalk";
import type { Command } from "commander";
import { applyJobPatch } from "../../app/evolve/apply-job-patch";
import { withContainer } from "../open-container";

export interface ApplyFlags {
  check?: boolean;
  allowUnvalidated?: boolean;
  json?: boolean;
}

const letters = { created: "A", modified: "M", deleted: "D", "mode-changed": "M" } as const;
const unvalidated = {
  passed: "",
  failed: "This patch failed the project's checks (applied with --allow-unvalidated).",
  skipped: "This patch was not validated: its job ran with --no-validate.",
  "no-checks": "This patch was not validated: the project has no checks grompt could run.",
} as const;

/** `grompt apply <jobId>`. */
export async function applyAction(jobId: string, options: ApplyFlags, command: Command): Promise<void> {
  await withContainer(command, async (container) => {
    const applied = await applyJobPatch({ jobId, check: options.check, allowUnvalidated: options.allowUnvalidated }, { jobs: await container.jobs(), blobs: container.blobs });
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify({ jobId, applied: options.check !== true, ...applied }, null, 2)}\n`);
      return;
    }
    const files = applied.touched.map((file) => `  ${letters[file.action]} ${file.path}`).join("\n");
    const head = options.check === true ? `Job ${jobId}'s patch applies cleanly to ${applied.root}:` : `Applied job ${jobId}'s patch to ${applied.root}:`;
    const note = applied.validated ? "" : `\n${chalk.yellow(unvalidated[applied.validation])}`;
    process.stdout.write(`${head}\n${files}${note}\n`);
  });
}
