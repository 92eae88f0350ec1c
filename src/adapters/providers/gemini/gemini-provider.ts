import type { GenResult, GenUsage, ModelProvider } from "../../../core/ports/provider-port";
import type { VendorSettings } from "../shared/vendor-settings";
import { toGeminiRequest } from "./convert-to-gemini-request";
import { mapGeminiError } from "./map-gemini-error";
import { mapGeminiUsage } from "./map-gemini-usage";
import { readGeminiResponse } from "./read-gemini-response";

/**
 * Gemini through @google/genai, loaded on first use. The SDK neither retries nor times out unless
 * told; grompt tells it the timeout and keeps retries in its policy layer. Each call gets its own
 * fetch so the failed response's headers (Retry-After) can be read: the SDK's ApiError drops them.
 */
export async function createGeminiProvider(settings: VendorSettings): Promise<ModelProvider> {
  const sdk = await import("@google/genai");
  const client = new sdk.GoogleGenAI({
    apiKey: settings.apiKey ?? "no-key",
    vertexai: false,
    httpOptions: { baseUrl: settings.baseUrl, timeout: settings.timeoutMs },
  });

  const callContext = (signal: AbortSignal | undefined) => {
    const seen: { headers?: Headers } = {};
    const observingFetch: typeof fetch = async (url, init) => {
      const headers = new Headers(init?.headers);
      if (settings.apiKey === undefined) headers.delete("x-goog-api-key");
      const response = await globalThis.fetch(url, { ...init, headers });
      if (!response.ok) seen.headers = response.headers;
      return response;
    };
    return {
      seen,
      fail: (error: unknown) => mapGeminiError(error, sdk, { signal, apiKey: settings.apiKey, headers: seen.headers }),
      config: { abortSignal: signal, automaticContinuation: false, httpOptions: { fetch: observingFetch, timeout: settings.timeoutMs } },
    };
  };

  const request = (...args: Parameters<typeof toGeminiRequest>) => toGeminiRequest(...args);

  return {
    id: "gemini",
    model: settings.model,
    endpoint: settings.customEndpoint ? settings.baseUrl : undefined,
    async generate(input, options, call) {
      const context = callContext(call?.signal);
      const params = request(input, options, settings.model);
      try {
        const response = await client.models.generateContent({ ...params, config: { ...params.config, ...context.config } });
        const read = readGeminiResponse(response);
        const result: GenResult = { text: read.text, provider: "gemini", model: read.model ?? settings.model, finishReason: read.finishReason };
        const usage = mapGeminiUsage(response.usageMetadata);
        if (usage !== undefined) result.usage = usage;
        return result;
      } catch (error) {
        throw context.fail(error);
      }
    },
    async *stream(input, options, call) {
      const started = performance.now();
      const context = callContext(call?.signal);
      const params = request(input, options, settings.model);
      const result: GenResult = { text: "", provider: "gemini", model: settings.model };
      let usage: GenUsage | undefined;
      let text = "";
      try {
        const chunks = await client.models.generateContentStream({ ...params, config: { ...params.config, ...context.config } });
        for await (const chunk of chunks) {
          const read = readGeminiResponse(chunk);
          if (read.model !== undefined) result.model = read.model;
          if (read.finishReason !== undefined) result.finishReason = read.finishReason;
          // Each chunk carries the running total for the request, so the last one is the usage.
          usage = mapGeminiUsage(chunk.usageMetadata) ?? usage;
          if (read.text !== "") {
            text += read.text;
            yield read.text;
          }
        }
      } catch (error) {
        throw context.fail(error);
      }
      result.text = text;
      if (usage !== undefined) result.usage = usage;
      call?.onEvent?.({ type: "provider-call-finished", result, latencyMs: performance.now() - started });
    },
  };
}
