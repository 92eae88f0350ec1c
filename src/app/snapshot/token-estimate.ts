import type { ProviderId } from "../../core/ports/provider-port";

/**
 * Tokens per provider, from the exact OpenAI o200k_base count. Anthropic and Gemini use their own
 * tokenizers, which grompt cannot run offline; until their count endpoints are called, a fixed
 * correction factor scales the o200k count. The factors are deliberately on the high side — a
 * budget planned with them must still fit — since both vendors' tokenizers cut source code into
 * somewhat more pieces than o200k_base does.
 */
export const tokenCorrectionFactors: Readonly<Record<ProviderId, number>> = {
  openai: 1,
  anthropic: 1.25,
  gemini: 1.15,
};

/** The provider's token count for text whose o200k_base count is `o200kTokens`. */
export function estimateTokens(o200kTokens: number, provider: ProviderId): number {
  const factor = tokenCorrectionFactors[provider];
  return factor === 1 ? o200kTokens : Math.ceil(o200kTokens * factor);
}

export const isProviderId = (value: string): value is ProviderId => Object.hasOwn(tokenCorrectionFactors, value);
