import type { Command } from "commander";

const actions = async () => (await import("../actions/providers-actions")).providersActions;

export function registerProvidersCommand(program: Command): void {
  const providers = program.command("providers").description("list the LLM providers and check that they answer");

  providers
    .command("list")
    .description("every provider: configured or not (and why), default model, price per 1M tokens")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => (await actions()).list(options, command));

  providers
    .command("test [provider]")
    .description("one tiny real call (every configured provider when none is named): latency, usage, cost")
    .option("--model <model>", "the model to try (default: the provider's configured model)")
    .option("--json", "print JSON")
    .action(async (name: string | undefined, options: { model?: string; json?: boolean }, command: Command) => (await actions()).test(name, options, command));
}
