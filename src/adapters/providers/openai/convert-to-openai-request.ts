import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { GenInput, GenOptions } from "../../../core/ports/provider-port";

export interface OpenAITarget {
  model: string;
  /**
   * OpenAI-compatible servers (Ollama, vLLM, LM Studio) understand `max_tokens`; OpenAI itself
   * wants `max_completion_tokens` (reasoning models reject `max_tokens`).
   */
  customEndpoint: boolean;
}

/** A grompt request as a Chat Completions body (non-streaming; the adapter adds the stream fields). */
export function toOpenAIRequest(input: GenInput, options: GenOptions = {}, target: OpenAITarget): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (input.system !== undefined && input.system !== "") messages.push({ role: "system", content: input.system });
  messages.push({ role: "user", content: input.user });
  const body: ChatCompletionCreateParamsNonStreaming = { model: target.model, messages };
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.topP !== undefined) body.top_p = options.topP;
  if (options.maxTokens !== undefined) {
    if (target.customEndpoint) body.max_tokens = options.maxTokens;
    else body.max_completion_tokens = options.maxTokens;
  }
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) body.stop = options.stopSequences;
  if (options.jsonMode === true) body.response_format = { type: "json_object" };
  return body;
}
