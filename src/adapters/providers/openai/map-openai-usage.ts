import type { CompletionUsage } from "openai/resources/completions";
import type { GenUsage } from "../../../core/ports/provider-port";

/** OpenAI counts cached tokens inside `prompt_tokens`; grompt keeps both. */
export function mapOpenAIUsage(usage: CompletionUsage | null | undefined): GenUsage | undefined {
  if (usage === null || usage === undefined) return undefined;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const mapped: GenUsage = { prompt, completion, total: usage.total_tokens ?? prompt + completion };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined && cached > 0) mapped.cachedPrompt = cached;
  return mapped;
}
