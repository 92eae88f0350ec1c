import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import type { GenInput, GenOptions } from "../../../core/ports/provider-port";

/** Messages API requires `max_tokens`; this is enough for a long diff without being a surprise bill. */
export const defaultAnthropicMaxTokens = 8192;

/** Anthropic has no JSON switch for free-form JSON (structured outputs need a schema), so it is asked for. */
export const anthropicJsonInstruction = "Answer with one valid JSON value and nothing else: no prose, no Markdown code fences.";

export interface AnthropicRequest {
  body: MessageCreateParamsNonStreaming;
  /** Options that could not be sent, said once so a user is not surprised. */
  warnings: string[];
}

/**
 * A grompt request as a Messages API body. API version 2026-10-21 (sent by the 1.x SDK) answers 400
 * to `temperature`, `top_p` and `top_k` at any value, so those are left out with a warning.
 */
export function toAnthropicRequest(input: GenInput, options: GenOptions = {}, model: string): AnthropicRequest {
  const warnings: string[] = [];
  const body: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: options.maxTokens ?? defaultAnthropicMaxTokens,
    messages: [{ role: "user", content: input.user }],
  };
  const system = [input.system, options.jsonMode === true ? anthropicJsonInstruction : undefined].filter((s) => s !== undefined && s !== "");
  if (system.length > 0) body.system = system.join("\n\n");
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) body.stop_sequences = options.stopSequences;
  if (options.temperature !== undefined) warnings.push("temperature is not accepted by the Anthropic API (2026-10-21) and was not sent");
  if (options.topP !== undefined) warnings.push("topP is not accepted by the Anthropic API (2026-10-21) and was not sent");
  return { body, warnings };
}
