import { type Command, InvalidArgumentError } from "commander";
import type { EvolveFlags } from "../actions/evolve-action";

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const collectNames = (value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(",").map((name) => name.trim()).filter(Boolean)];
const rounds = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 10) throw new InvalidArgumentError("Use a whole number from 0 to 10.");
  return parsed;
};

export function registerEvolveCommand(program: Command): void {
  program
    .command("evolve <instruction>")
    .description("turn an instruction into a validated patch: snapshot → prompt → diff → apply and check in a temporary worktree → repair → .patch")
    .option("-p, --provider <name>", "provider or provider:model (default: defaults.provider)")
    .option("-m, --model <model>", "model (default: the provider's configured model)")
    .option("--include <glob>", "send only files matching this gitignore-style glob (repeatable; replaces snapshot.include)", collect)
    .option("--exclude <glob>", "leave out files matching this glob (repeatable; replaces snapshot.exclude)", collect)
    .option("--prompt <id>", "registry prompt of the first round (default: evolve.prompt, refactor-small)")
    .option("--checks <names>", "run only these checks, comma-separated or repeated (tsc, eslint, vitest or configured names)", collectNames)
    .option("--no-validate", "apply the patch in the worktree without running any check")
    .option("--max-rounds <n>", "repair rounds after the first answer, 0-10 (default: evolve.maxRounds, 2)", rounds)
    .option("--apply", "write the validated patch into the working tree (refused if a touched file changed meanwhile)")
    .option("--out <dir>", "also write the artifacts (changes.patch, report.json, snapshot files) into this directory")
    .option("--json", "print a JSON summary on stdout instead of progress and the diff")
    .option("--ci", "for CI: no spinner or prompts, artifacts written to --out (default: a temporary directory), JSON summary on stdout; exit 0 validated, 1 checks failed, 3 provider error, 4 no applicable patch")
    .option("--no-cache", "ask the vendor even if the answer is cached")
    .option("--record <file>", "save each request and answer into this cassette (JSONL)")
    .option("--cassette <file>", "answer from this cassette instead of a vendor (the replay provider)")
    .action(async (instruction: string, flags: EvolveFlags, command: Command) => (await import("../actions/evolve-action")).evolveAction(instruction, flags, command));
}
