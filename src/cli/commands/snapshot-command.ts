import { type Command, InvalidArgumentError, Option } from "commander";
import type { SnapshotOptions } from "../actions/snapshot-actions";

const actions = async () => (await import("../actions/snapshot-actions")).snapshotActions;

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const positiveInteger = (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new InvalidArgumentError("expected a positive whole number");
  return parsed;
};

export function registerSnapshotCommand(program: Command): void {
  const snapshot = program
    .command("snapshot")
    .description("write a deterministic snapshot of the working tree: manifest.json, snapshot.latx, snapshot.zip")
    .option("--out <dir>", "directory for the outputs (default: $GROMPT_HOME/snapshots/<id>)")
    .option("--include <glob>", "keep only files matching this gitignore-style glob (repeatable; replaces snapshot.include)", collect)
    .option("--exclude <glob>", "leave out files matching this gitignore-style glob (repeatable; replaces snapshot.exclude)", collect)
    .addOption(new Option("--secrets <mode>", "what to do with secrets found in files").choices(["block", "redact", "off"]))
    .option("--max-file-bytes <n>", "leave out files larger than this", positiveInteger)
    .option("--max-tokens <n>", "also plan the prompt context for this token budget", positiveInteger)
    .option("--instruction <text>", "rank files for this instruction when planning the context")
    .addOption(new Option("--provider <id>", "count tokens as this provider does").choices(["openai", "anthropic", "gemini"]))
    .option("--json", "print the summary as JSON")
    .option("--timings", "also print where the time went, per stage (startup, select, read, analysis, write)")
    .action(async (options: SnapshotOptions, command: Command) => (await actions()).write(options, command));

  snapshot
    .command("extract <file> <dir>")
    .description("restore a snapshot.latx into a directory, exactly")
    .option("--overwrite", "replace files that already exist in <dir>")
    .option("--json", "print the result as JSON")
    .action(async (file: string, dir: string, options: { overwrite?: boolean; json?: boolean }, command: Command) => (await actions()).extract(file, dir, options, command));
}
