import type { Command } from "commander";
import type { EvalFlags } from "../actions/prompts-eval-action";

export function registerPromptsEvalCommand(prompts: Command): void {
  prompts
    .command("eval")
    .description("run the eval cases of prompts (all by default) through a provider or a cassette; exit 1 when any case fails")
    .argument("[ids...]", "prompt ids (default: every prompt)")
    .option("-p, --provider <name>", "provider or provider:model (default: defaults.provider)")
    .option("-m, --model <model>", "model (default: the provider's configured model)")
    .option("--cassette <file>", "answer from this cassette: no key, no network (the replay provider)")
    .option("--record <file>", "save every request and answer into this cassette (JSONL)")
    .option("--no-cache", "ask the vendor even if an answer is cached")
    .option("--json", "print the whole report as JSON")
    .action(async (ids: string[], flags: EvalFlags, command: Command) => (await import("../actions/prompts-eval-action")).promptsEvalAction(ids, flags, command));
}
