import type { Message } from "@anthropic-ai/sdk/resources/messages";
import type { GenResult, ModelProvider } from "../../../core/ports/provider-port";
import { abortedError } from "../shared/provider-error";
import { sdkLogger } from "../shared/sdk-logger";
import type { VendorSettings } from "../shared/vendor-settings";
import { toAnthropicRequest } from "./convert-to-anthropic-request";
import { mapAnthropicError } from "./map-anthropic-error";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason";
import { type AnthropicUsageFields, mapAnthropicUsage, mergeAnthropicUsage } from "./map-anthropic-usage";

/**
 * Anthropic Messages through the official SDK, loaded on first use. The SDK's retries are off
 * (grompt's policy layer owns them) and its console output is routed into grompt's logs.
 */
export async function createAnthropicProvider(settings: VendorSettings): Promise<ModelProvider> {
  const sdk = await import("@anthropic-ai/sdk");
  const client = new sdk.Anthropic({
    // An explicit credential keeps the SDK from reading profiles or other variables. Keyless local
    // proxies get a placeholder whose Authorization header is then dropped.
    apiKey: settings.apiKey ?? "no-key",
    defaultHeaders: settings.apiKey === undefined ? { Authorization: null } : undefined,
    baseURL: settings.baseUrl,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    logger: sdkLogger("anthropic", settings.logger),
    openTelemetry: false,
  });
  const fail = (error: unknown, signal: AbortSignal | undefined): unknown =>
    mapAnthropicError(error, sdk, { signal, apiKey: settings.apiKey });
  const requestOptions = (signal: AbortSignal | undefined) => ({ signal, timeout: settings.timeoutMs, maxRetries: 0 });
  const warned = new Set<string>();
  const request = (...args: Parameters<typeof toAnthropicRequest>) => {
    const { body, warnings } = toAnthropicRequest(...args);
    for (const warning of warnings.filter((w) => !warned.has(w))) {
      warned.add(warning);
      settings.logger?.warn({ provider: "anthropic" }, warning);
    }
    return body;
  };

  const toResult = (message: Message): GenResult => {
    const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    const result: GenResult = {
      text,
      provider: "anthropic",
      model: message.model || settings.model,
      finishReason: mapAnthropicStopReason(message.stop_reason),
    };
    const usage = mapAnthropicUsage(message.usage);
    if (usage !== undefined) result.usage = usage;
    return result;
  };

  return {
    id: "anthropic",
    model: settings.model,
    endpoint: settings.customEndpoint ? settings.baseUrl : undefined,
    async generate(input, options, call) {
      try {
        const message = await client.messages.create(request(input, options, settings.model), requestOptions(call?.signal));
        return toResult(message);
      } catch (error) {
        throw fail(error, call?.signal);
      }
    },
    async *stream(input, options, call) {
      const started = performance.now();
      const result: GenResult = { text: "", provider: "anthropic", model: settings.model };
      let usage: AnthropicUsageFields = {};
      let text = "";
      try {
        const events = await client.messages.create({ ...request(input, options, settings.model), stream: true }, requestOptions(call?.signal));
        for await (const event of events) {
          if (event.type === "message_start") {
            if (event.message.model) result.model = event.message.model;
            usage = mergeAnthropicUsage(usage, event.message.usage);
          } else if (event.type === "message_delta") {
            usage = mergeAnthropicUsage(usage, event.usage);
            const finish = mapAnthropicStopReason(event.delta.stop_reason);
            if (finish !== undefined) result.finishReason = finish;
          } else if (event.type === "content_block_delta" && event.delta.type === "text_delta" && event.delta.text !== "") {
            text += event.delta.text;
            yield event.delta.text;
          }
        }
      } catch (error) {
        throw fail(error, call?.signal);
      }
      // The SDK ends an aborted stream quietly, as if it were complete: it is not.
      if (call?.signal?.aborted === true) throw abortedError("anthropic", call.signal);
      result.text = text;
      const mapped = mapAnthropicUsage(usage);
      if (mapped !== undefined && (usage.input_tokens !== undefined || usage.output_tokens !== undefined)) result.usage = mapped;
      call?.onEvent?.({ type: "provider-call-finished", result, latencyMs: performance.now() - started });
    },
  };
}
