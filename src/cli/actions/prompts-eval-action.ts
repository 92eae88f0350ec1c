import { resolve } from "node:path";
import type { Command } from "commander";
import { runPromptEvals } from "../../app/prompts/evals/run-prompt-evals";
import { globalOptions } from "../global-options";
import { openContainer } from "../open-container";
import { evalSummaryLine, renderEvalTable } from "../render/eval-table";

export interface EvalFlags {
  provider?: string;
  model?: string;
  cassette?: string;
  record?: string;
  cache: boolean;
  json?: boolean;
}

/** `grompt prompts eval [ids...]`: a CI gate, exit 1 when any case fails. */
export async function promptsEvalAction(ids: string[], flags: EvalFlags, command: Command): Promise<void> {
  const { cwd } = globalOptions(command);
  const container = openContainer(command);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once("SIGINT", interrupt);
  const spinner = flags.json !== true && process.stderr.isTTY === true ? (await import("ora")).default({ stream: process.stderr, text: "Starting evals" }).start() : undefined;
  try {
    const outcome = await runPromptEvals(
      {
        ids,
        provider: flags.provider,
        model: flags.model,
        cassette: flags.cassette === undefined ? undefined : resolve(cwd, flags.cassette),
        record: flags.record === undefined ? undefined : resolve(cwd, flags.record),
        noCache: !flags.cache,
        signal: controller.signal,
        onCaseStarted: (promptId, caseName, index, total) => {
          if (spinner !== undefined) spinner.text = `Case ${index}/${total}: ${promptId}/${caseName}`;
        },
      },
      { config: container.config, prompts: container.prompts, providers: container.providers },
    );
    spinner?.stop();
    if (flags.json === true) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    else process.stdout.write(`${renderEvalTable(outcome, process.stdout.columns ?? 120)}${evalSummaryLine(outcome)}\n`);
    // A CI gate: any failed case fails the command.
    if (outcome.failed > 0) process.exitCode = 1;
  } finally {
    spinner?.stop();
    process.removeListener("SIGINT", interrupt);
    await container.close();
  }
}
