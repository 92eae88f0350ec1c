import { readFileSync } from "node:fs";
import chalk from "chalk";
import { type Command, InvalidArgumentError, Option } from "commander";
import { askProvider } from "../../app/providers/ask-provider";
import { createContainer } from "../../app/container";
import type { GenOptions } from "../../core/ports/provider-port";
import { globalOptions } from "../global-options";
import { summaryLine } from "../render/provider-format";

interface AskFlags {
  provider?: string;
  model?: string;
  system?: string;
  json?: boolean;
  jsonMode?: boolean;
  maxTokens?: number;
  temperature?: number;
  cache: boolean;
  record?: string;
  cassette?: string;
}

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
    .action(async (text: string, flags: AskFlags, command: Command) => {
      const { cwd, verbose } = globalOptions(command);
      const prompt = text === "-" ? readFileSync(0, "utf8") : text;
      const container = createContainer({ cwd, env: process.env, verbose });
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once("SIGINT", interrupt);
      const options: GenOptions = {};
      if (flags.maxTokens !== undefined) options.maxTokens = flags.maxTokens;
      if (flags.temperature !== undefined) options.temperature = flags.temperature;
      if (flags.jsonMode === true) options.jsonMode = true;
      let endsWithNewline = true;
      try {
        const outcome = await askProvider(container.providers, {
          text: prompt,
          system: flags.system,
          provider: flags.provider,
          model: flags.model,
          record: flags.record,
          cassette: flags.cassette,
          options,
          noCache: !flags.cache,
          signal: controller.signal,
          onChunk:
            flags.json === true
              ? undefined
              : (chunk) => {
                  process.stdout.write(chunk);
                  endsWithNewline = chunk.endsWith("\n");
                },
        });
        if (flags.json === true) {
          process.stdout.write(`${JSON.stringify({ ...outcome.result, name: outcome.name, latencyMs: outcome.latencyMs }, null, 2)}\n`);
        } else {
          if (!endsWithNewline && process.stdout.isTTY) process.stdout.write("\n");
          process.stderr.write(`${chalk.dim(summaryLine(outcome.result, outcome.latencyMs, outcome.name))}\n`);
        }
      } finally {
        process.removeListener("SIGINT", interrupt);
        await container.close();
      }
    });
}
