import type { GenerateContentResponseUsageMetadata } from "@google/genai";
import type { GenUsage } from "../../../core/ports/provider-port";

/** Thinking tokens are billed as output, so they count as completion; cached tokens are part of the prompt. */
export function mapGeminiUsage(usage: GenerateContentResponseUsageMetadata | null | undefined): GenUsage | undefined {
  if (usage === null || usage === undefined) return undefined;
  const prompt = usage.promptTokenCount ?? 0;
  const completion = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  const mapped: GenUsage = { prompt, completion, total: usage.totalTokenCount ?? prompt + completion };
  const cached = usage.cachedContentTokenCount;
  if (cached !== undefined && cached > 0) mapped.cachedPrompt = cached;
  return mapped;
}
