import chalk from "chalk";
import Table from "cli-table3";
import type { Command } from "commander";
import { checkConfiguredProviders, checkProvider, type ProviderCheck } from "../../app/providers/check-providers";
import { createContainer } from "../../app/container";
import { GromptError } from "../../core/domain/errors";
import { globalOptions } from "../global-options";
import { formatCost, formatPrice, formatUsage } from "../render/provider-format";

/** `grompt providers list | test`. */
export const providersActions = {
  async list(options: { json?: boolean }, command: Command): Promise<void> {
    const { cwd, verbose } = globalOptions(command);
    const container = createContainer({ cwd, env: process.env, verbose });
    try {
      const listing = container.providers.list();
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ providers: listing, pricesAsOf: container.providers.prices.asOf }, null, 2)}\n`);
        return;
      }
      const table = new Table({ head: ["provider", "ready", "default model", "$/1M in / cached / out", "why"], style: { head: [], border: [] }, chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" } });
      for (const entry of listing) {
        table.push([
          entry.name,
          entry.configured ? chalk.green("yes") : chalk.red("no"),
          entry.defaultModel ?? "-",
          formatPrice(entry.price),
          entry.baseUrl !== undefined && entry.configured ? `${entry.reason} (${entry.baseUrl})` : entry.reason,
        ]);
      }
      process.stdout.write(`${table.toString()}\n`);
      process.stdout.write(chalk.dim(`Prices as of ${container.providers.prices.asOf}; override them under \`prices\` in the config.\n`));
    } finally {
      await container.close();
    }
  },

  async test(name: string | undefined, options: { model?: string; json?: boolean }, command: Command): Promise<void> {
    const { cwd, verbose } = globalOptions(command);
    const container = createContainer({ cwd, env: process.env, verbose });
    try {
      const checks =
        name === undefined ? await checkConfiguredProviders(container.providers) : [await checkProvider(container.providers, { provider: name, model: options.model })];
      if (checks.length === 0) {
        throw new GromptError("provider_not_configured", "No provider is configured", {
          hint: "Set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or OPENAI_BASE_URL for a local server; see `grompt providers list`.",
        });
      }
      if (options.json === true) process.stdout.write(`${JSON.stringify(checks.map(toJson), null, 2)}\n`);
      else for (const check of checks) process.stdout.write(`${describe(check)}\n`);
      const failed = checks.find((check) => !check.ok);
      if (failed !== undefined && !failed.ok) throw failed.error;
    } finally {
      await container.close();
    }
  },
};

function describe(check: ProviderCheck): string {
  const who = `${check.name}${check.model === undefined ? "" : ` ${check.model}`}`;
  if (!check.ok) return `${chalk.red("✗")} ${who} · ${check.error.code}: ${check.error.message}`;
  const { result } = check;
  return `${chalk.green("✓")} ${who} · ${check.latencyMs} ms · ${formatUsage(result.usage)} · ${formatCost(result.costMicros)} · answered ${JSON.stringify(result.text.trim().slice(0, 40))}`;
}

function toJson(check: ProviderCheck): Record<string, unknown> {
  if (check.ok) return { name: check.name, model: check.model, ok: true, latencyMs: check.latencyMs, usage: check.result.usage, costMicros: check.result.costMicros, text: check.result.text };
  return { name: check.name, model: check.model, ok: false, latencyMs: check.latencyMs, error: check.error.toFailure() };
}
