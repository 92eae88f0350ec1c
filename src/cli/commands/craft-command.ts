import type { Command } from "commander";
import type { CraftFlags } from "../actions/craft-action";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCraftCommand(program: Command): void {
  program
    .command("craft")
    .description("turn rough ideas into a structured prompt (a craft job; asks for ideas on a terminal when none are given)")
    .option("-i, --idea <text>", "a rough idea (repeat for more)", collect, [])
    .option("--purpose <purpose>", "what the prompt is for: code, creative, analysis or general (default general)")
    .option("--lang <language>", 'language of the prompt, e.g. "pt-BR" or "English" (default: the ideas\' language)')
    .option("--max-tokens <n>", "length limit of the crafted prompt (50-32000 tokens)")
    .option("-p, --provider <name>", "provider or provider:model (default: defaults.provider)")
    .option("-m, --model <model>", "model (default: the provider's configured model)")
    .option("-o, --out <file>", "also write the crafted prompt to this file (atomically)")
    .option("--save-as <id>", "save the crafted prompt as a registry prompt in .grompt/prompts/<id>.yml")
    .option("--force", "with --save-as: replace an existing prompt file, or shadow a built-in or user prompt")
    .option("--json", "print the job, the crafted prompt and where it was written as JSON instead of streaming")
    .option("--no-cache", "ask the vendor even if the answer is cached")
    .option("--record <file>", "save the request and answer into this cassette (JSONL)")
    .option("--cassette <file>", "answer from this cassette instead of a vendor (the replay provider)")
    .action(async (flags: CraftFlags, command: Command) => (await import("../actions/craft-action")).craftAction(flags, command));
}

