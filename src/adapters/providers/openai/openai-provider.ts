import type { ChatCompletion } from "openai/resources/chat/completions";
import type { GenResult, ModelProvider } from "../../../core/ports/provider-port";
import { abortedError } from "../shared/provider-error";
import { sdkLogger } from "../shared/sdk-logger";
import type { VendorSettings } from "../shared/vendor-settings";
import { toOpenAIRequest } from "./convert-to-openai-request";
import { mapOpenAIError } from "./map-openai-error";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { mapOpenAIUsage } from "./map-openai-usage";

/**
 * OpenAI Chat Completions through the official SDK — also every OpenAI-compatible server (Ollama,
 * vLLM, LM Studio, OpenRouter) given a base URL. The SDK is imported here, on first use, so
 * `grompt --help` never pays for it. Retries belong to grompt's policy layer: the SDK's are off.
 */
export async function createOpenAIProvider(settings: VendorSettings): Promise<ModelProvider> {
  const sdk = await import("openai");
  const client = new sdk.OpenAI({
    // Local servers need no key; the SDK insists on one, so a placeholder is given and the header dropped.
    apiKey: settings.apiKey ?? "no-key",
    defaultHeaders: settings.apiKey === undefined ? { Authorization: null } : undefined,
    baseURL: settings.baseUrl,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    logger: sdkLogger("openai", settings.logger),
  });
  const target = { model: settings.model, customEndpoint: settings.customEndpoint };
  const fail = (error: unknown, signal: AbortSignal | undefined): unknown =>
    mapOpenAIError(error, sdk, { signal, apiKey: settings.apiKey });
  // The client already holds the timeout and the retries (0): a request passes only its signal.
  const requestOptions = (signal: AbortSignal | undefined) => ({ signal });

  const toResult = (completion: ChatCompletion): GenResult => {
    const choice = completion.choices[0];
    const refusal = choice?.message.refusal ?? undefined;
    const result: GenResult = {
      text: choice?.message.content ?? refusal ?? "",
      provider: "openai",
      model: completion.model || settings.model,
      finishReason: refusal !== undefined && !choice?.message.content ? "content_filter" : mapOpenAIFinishReason(choice?.finish_reason),
    };
    const usage = mapOpenAIUsage(completion.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  };

  return {
    id: "openai",
    model: settings.model,
    endpoint: settings.customEndpoint ? settings.baseUrl : undefined,
    async generate(input, options, call) {
      try {
        const completion = await client.chat.completions.create(toOpenAIRequest(input, options, target), requestOptions(call?.signal));
        return toResult(completion);
      } catch (error) {
        throw fail(error, call?.signal);
      }
    },
    async *stream(input, options, call) {
      const started = performance.now();
      const body = { ...toOpenAIRequest(input, options, target), stream: true as const, stream_options: { include_usage: true } };
      let text = "";
      const result: GenResult = { text: "", provider: "openai", model: settings.model };
      try {
        const chunks = await client.chat.completions.create(body, requestOptions(call?.signal));
        for await (const chunk of chunks) {
          if (chunk.model) result.model = chunk.model;
          const usage = mapOpenAIUsage(chunk.usage);
          if (usage !== undefined) result.usage = usage;
          const choice = chunk.choices[0];
          const finish = mapOpenAIFinishReason(choice?.finish_reason);
          if (finish !== undefined) result.finishReason = finish;
          const delta = choice?.delta?.content;
          if (typeof delta === "string" && delta !== "") {
            text += delta;
            yield delta;
          }
        }
      } catch (error) {
        throw fail(error, call?.signal);
      }
      // The SDK ends an aborted stream quietly, as if it were complete: it is not.
      if (call?.signal?.aborted === true) throw abortedError("openai", call.signal);
      result.text = text;
      call?.onEvent?.({ type: "provider-call-finished", result, latencyMs: performance.now() - started });
    },
  };
}
