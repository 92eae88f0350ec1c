import type { Command } from "commander";
import type { ApplyFlags } from "../actions/apply-action";

export function registerApplyCommand(program: Command): void {
  program
    .command("apply <jobId>")
    .description("write an evolve job's patch into the working tree, refusing if a file it touches changed since the job read it")
    .option("--check", "only check that it applies; write nothing")
    .option("--allow-unvalidated", "apply a patch whose checks failed")
    .option("--json", "print JSON")
    .action(async (jobId: string, options: ApplyFlags, command: Command) => (await import("../actions/apply-action")).applyAction(jobId, options, command));
}
