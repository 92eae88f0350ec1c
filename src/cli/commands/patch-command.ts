import type { Command } from "commander";
import type { PatchApplyFlags } from "../actions/patch-apply-action";

export function registerPatchCommand(program: Command): void {
  const patch = program.command("patch").description("apply diffs written by a model (or a person) safely");
  patch
    .command("apply")
    .description("apply a unified diff, or every diff in a model answer, all or nothing")
    .argument("<file>", "the diff or answer to apply; - reads stdin")
    .option("--check", "only check that the patch applies; write nothing")
    .option("--json", "print a machine-readable report on stdout")
    .addHelpText(
      "after",
      "\nExit codes: 0 applied (or applicable with --check), 4 not applicable (per failing hunk: the reason\nand the file's nearest lines), 2 usage or I/O error. Paths in the diff are relative to --cwd.",
    )
    .action(async (file: string, options: PatchApplyFlags, command: Command) => (await import("../actions/patch-apply-action")).patchApplyAction(file, options, command));
}
