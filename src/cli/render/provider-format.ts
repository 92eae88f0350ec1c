import type { GenResult, GenUsage } from "../../core/ports/provider-port";

/** Micro-dollars as dollars; the API shows cents, a terminal wants to see that a call cost $0.000120. */
export function formatCost(costMicros: number | null | undefined): string {
  if (costMicros === null || costMicros === undefined) return "cost unknown";
  if (costMicros === 0) return "$0";
  return `$${(costMicros / 1_000_000).toFixed(costMicros < 10_000 ? 6 : 4)}`;
}

export function formatUsage(usage: GenUsage | undefined): string {
  if (usage === undefined) return "usage not reported";
  const cached = usage.cachedPrompt === undefined ? "" : ` (${usage.cachedPrompt} cached)`;
  return `${usage.prompt} in${cached} / ${usage.completion} out tokens`;
}

/** One line after an answer: who answered, tokens, cost, time. */
export function summaryLine(result: GenResult, latencyMs: number, name?: string): string {
  const who = name !== undefined && name !== result.provider ? `${name} (${result.provider})` : result.provider;
  const parts = [`${who} ${result.model}`, formatUsage(result.usage), result.cached === true ? "cached, $0" : formatCost(result.costMicros), `${latencyMs} ms`];
  if (result.finishReason !== undefined && result.finishReason !== "stop") parts.push(`finish: ${result.finishReason}`);
  return parts.join(" · ");
}

/** "0.40 / 0.10 / 1.60" (USD per 1M tokens: input / cached input / output). */
export function formatPrice(price: { input: number; cachedInput?: number; output: number } | undefined): string {
  if (price === undefined) return "-";
  const money = (n: number) => n.toFixed(n < 0.1 ? 3 : 2);
  return `${money(price.input)} / ${price.cachedInput === undefined ? "-" : money(price.cachedInput)} / ${money(price.output)}`;
}
