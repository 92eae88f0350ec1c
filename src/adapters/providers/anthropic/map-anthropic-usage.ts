import type { GenUsage } from "../../../core/ports/provider-port";

/** The usage fields grompt reads; the final message and the stream's events share them. */
export interface AnthropicUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Anthropic reports cache reads and cache writes apart from `input_tokens`; grompt's `prompt` is
 * everything the model read, with the cache reads also kept as `cachedPrompt`.
 */
export function mapAnthropicUsage(usage: AnthropicUsageFields | null | undefined): GenUsage | undefined {
  if (usage === null || usage === undefined) return undefined;
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  const mapped: GenUsage = { prompt, completion, total: prompt + completion };
  if (cacheRead > 0) mapped.cachedPrompt = cacheRead;
  return mapped;
}

/** Streams send input counts in `message_start` and output counts in `message_delta`: later values win. */
export function mergeAnthropicUsage(previous: AnthropicUsageFields, next: AnthropicUsageFields | null | undefined): AnthropicUsageFields {
  if (next === null || next === undefined) return previous;
  const merged: AnthropicUsageFields = { ...previous };
  for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"] as const) {
    const value = next[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
