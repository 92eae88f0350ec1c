import type { FinishReason } from "./script";
import { type VendorWire, type WireAnswer, type WireError, sse } from "./wire";

const finishReasons: Record<FinishReason, string> = { stop: "stop", length: "length", content_filter: "content_filter", other: "tool_calls" };

const typeForStatus = (status: number): string =>
  status === 429 ? "requests" : status >= 500 ? "server_error" : status === 401 ? "invalid_request_error" : "invalid_request_error";

interface ChatBody {
  model?: unknown;
  messages?: { role?: string; content?: unknown }[];
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
}

const usageOf = (answer: WireAnswer) => ({
  prompt_tokens: answer.usage.prompt,
  completion_tokens: answer.usage.completion,
  total_tokens: answer.usage.prompt + answer.usage.completion,
  prompt_tokens_details: { cached_tokens: answer.usage.cachedPrompt ?? 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

const includeUsage = (body: unknown): boolean => (body as ChatBody).stream_options?.include_usage === true;

/** OpenAI Chat Completions: `POST /v1/chat/completions`, Bearer auth, `data:` SSE ending in `[DONE]`. */
export const openaiWire: VendorWire = {
  vendor: "openai",
  basePathForClients: "/v1",
  route(method, url, body) {
    if (method !== "POST" || url.pathname !== "/v1/chat/completions") return undefined;
    const chat = body as ChatBody;
    return { model: typeof chat.model === "string" ? chat.model : undefined, stream: chat.stream === true };
  },
  authenticate(headers, _url, expectedKey) {
    if (expectedKey === null) return undefined;
    const auth = headers.authorization;
    if (auth === undefined || !auth.startsWith("Bearer ")) {
      return { status: 401, message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.", type: "invalid_request_error" };
    }
    const key = auth.slice("Bearer ".length);
    if (key !== expectedKey) {
      // The real server echoes (part of) the key back; grompt must never show it.
      return { status: 401, message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", code: "invalid_api_key" };
    }
    return undefined;
  },
  validate(request) {
    const body = request.body as ChatBody;
    if (typeof body.model !== "string" || body.model === "") return { status: 400, message: "you must provide a model parameter", type: "invalid_request_error" };
    if (!Array.isArray(body.messages) || body.messages.length === 0) return { status: 400, message: "[] is too short - 'messages'", type: "invalid_request_error" };
    if (body.max_tokens !== undefined && body.max_completion_tokens !== undefined) {
      return { status: 400, message: "max_tokens and max_completion_tokens cannot both be set", type: "invalid_request_error" };
    }
    if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
      return { status: 400, message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", type: "invalid_request_error" };
    }
    return undefined;
  },
  userText(body) {
    const messages = (body as ChatBody).messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === "user");
    return typeof last?.content === "string" ? last.content : "";
  },
  errorBody: (error: WireError) => ({
    error: { message: error.message, type: error.type ?? typeForStatus(error.status), param: null, code: error.code ?? null },
  }),
  responseHeaders: () => ({ "x-request-id": `req_${Math.random().toString(36).slice(2, 14)}`, "openai-processing-ms": "1" }),
  completion: (answer) => ({
    id: answer.id,
    object: "chat.completion",
    created: answer.created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReasons[answer.finishReason],
      },
    ],
    usage: usageOf(answer),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  }),
  streamStart: (answer) => [chunkFrame(answer, { role: "assistant", content: "", refusal: null }, null)],
  streamChunk: (answer, text) => chunkFrame(answer, { content: text }, null),
  streamEnd(answer, request) {
    const frames = [chunkFrame(answer, {}, finishReasons[answer.finishReason], includeUsage(request.body))];
    if (includeUsage(request.body)) {
      frames.push(sse({ id: answer.id, object: "chat.completion.chunk", created: answer.created, model: answer.model, system_fingerprint: "fp_fake", choices: [], usage: usageOf(answer) }));
    }
    frames.push(sse("[DONE]"));
    return frames;
  },
  streamError: (error) => sse({ error: { message: error.message, type: error.type ?? typeForStatus(error.status), param: null, code: error.code ?? null } }),
};

function chunkFrame(answer: WireAnswer, delta: Record<string, unknown>, finish: string | null, withUsageField = true): string {
  return sse({
    id: answer.id,
    object: "chat.completion.chunk",
    created: answer.created,
    model: answer.model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsageField ? { usage: null } : {}),
  });
}
