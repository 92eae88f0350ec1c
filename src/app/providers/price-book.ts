import type { GenUsage } from "../../core/ports/provider-port";
import shipped from "./price-table.json";

/** USD per 1M tokens. */
export interface Price {
  input: number;
  /** Price of prompt tokens served from the vendor's prompt cache; the input price when absent. */
  cachedInput?: number;
  output: number;
}

export interface PriceBook {
  /** The price for a model: exact name first, then without a date suffix (`gpt-4.1-mini-2025-04-14`). */
  lookup(provider: string, model: string): Price | undefined;
  /** Integer micro-dollars; null when the model has no known price or the vendor reported no usage. */
  costMicros(provider: string, model: string, usage: GenUsage | undefined): number | null;
  /** Every priced model, shipped and configured, as "provider:model". */
  entries(): [string, Price][];
  /** The date the shipped table was checked. */
  asOf: string;
}

const datedSuffix = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/** The shipped price table with the config's `prices` merged over it (config wins). */
export function createPriceBook(overrides: Record<string, Price> = {}): PriceBook {
  const table = new Map<string, Price>(Object.entries({ ...(shipped.models as Record<string, Price>), ...overrides }));
  const lookup = (provider: string, model: string): Price | undefined =>
    table.get(`${provider}:${model}`) ?? table.get(`${provider}:${model.replace(datedSuffix, "")}`);
  return {
    asOf: shipped.asOf,
    lookup,
    costMicros(provider, model, usage) {
      const price = lookup(provider, model);
      if (price === undefined || usage === undefined) return null;
      const cached = Math.min(usage.cachedPrompt ?? 0, usage.prompt);
      // USD per 1M tokens is micro-dollars per token.
      const micros = (usage.prompt - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.completion * price.output;
      return Math.round(micros);
    },
    entries: () => [...table.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}
