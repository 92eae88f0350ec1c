import { type Command, InvalidArgumentError, Option } from "commander";
import type { AskFlags } from "../actions/ask-action";

const number = (min: number, max: number, integer: boolean) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new InvalidArgumentError(`expected ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
  }
  return value;
};

export function registerAskCommand(program: Command): void {
  program
    .command("ask <text>")
    .description('one prompt to one provider, the answer streamed as it arrives ("-" reads the prompt from stdin)')
    .option("-p, --provider <name>", "provider or provider:model (default: defaults.provider)")
    .option("-m, --model <model>", "model (default: the provider's configured model)")
    .option("-s, --system <text>", "system prompt")
    .option("--json", "print the whole result as JSON instead of streaming text")
    .option("--json-mode", "ask the vendor for a JSON answer (its JSON mode)")
    .addOption(new Option("--max-tokens <n>", "cap on the answer's tokens").argParser(number(1, 1_000_000, true)))
    .addOption(new Option("--temperature <t>", "sampling temperature (not sent to Anthropic, whose API rejects it)").argParser(number(0, 2, false)))
    .option("--no-cache", "ask the vendor even if the answer is cached (the fresh answer replaces it)")
    .option("--record <file>", "save the request and answer into this cassette (JSONL)")
    .option("--cassette <file>", "answer from this cassette instead of a vendor (the replay provider)")
    .action(async (text: string, flags: AskFlags, command: Command) => (await import("../actions/ask-action")).askAction(text, flags, command));
}
