import { readFileSync } from "node:fs";
import chalk from "chalk";
import type { Command } from "commander";
import { askProvider } from "../../app/providers/ask-provider";
import { createContainer } from "../../app/container";
import type { GenOptions } from "../../core/ports/provider-port";
import { globalOptions } from "../global-options";
import { summaryLine } from "../render/provider-format";

export interface AskFlags {
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

/** `grompt ask <text>`: the answer streamed on stdout, a summary line on stderr. */
export async function askAction(text: string, flags: AskFlags, command: Command): Promise<void> {
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
}
