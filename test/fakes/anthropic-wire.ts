import type { FinishReason } from "./script";
import { type VendorWire, type WireAnswer, type WireError, sse } from "./wire";

const stopReasons: Record<FinishReason, string> = { stop: "end_turn", length: "max_tokens", content_filter: "refusal", other: "tool_use" };

const typeForStatus = (status: number): string =>
  ({ 400: "invalid_request_error", 401: "authentication_error", 402: "billing_error", 403: "permission_error", 404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error", 504: "timeout_error", 529: "overloaded_error" })[
    status
  ] ?? (status >= 500 ? "api_error" : "invalid_request_error");

interface MessagesBody {
  model?: unknown;
  max_tokens?: unknown;
  messages?: { role?: string; content?: unknown }[];
  stream?: unknown;
}

/** The API version the 1.x SDK sends; it rejects sampling parameters. */
const currentVersion = "2026-10-21";

const usageOf = (answer: WireAnswer, output: number) => ({
  input_tokens: answer.usage.prompt - (answer.usage.cachedPrompt ?? 0),
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: answer.usage.cachedPrompt ?? 0,
  output_tokens: output,
  service_tier: "standard",
});

/** Anthropic Messages: `POST /v1/messages`, Bearer or x-api-key, SSE with an `event:` line per event. */
export const anthropicWire: VendorWire = {
  vendor: "anthropic",
  basePathForClients: "",
  route(method, url, body) {
    if (method !== "POST" || url.pathname !== "/v1/messages") return undefined;
    const messages = body as MessagesBody;
    return { model: typeof messages.model === "string" ? messages.model : undefined, stream: messages.stream === true };
  },
  authenticate(headers, _url, expectedKey) {
    if (headers["anthropic-version"] === undefined) {
      return { status: 400, message: "anthropic-version: header is required", type: "invalid_request_error" };
    }
    if (expectedKey === null) return undefined;
    const bearer = headers.authorization?.startsWith("Bearer ") === true ? headers.authorization.slice(7) : undefined;
    const key = bearer ?? headers["x-api-key"];
    if (key === undefined) return { status: 401, message: "x-api-key or Authorization header is required", type: "authentication_error" };
    if (key !== expectedKey) return { status: 401, message: "invalid x-api-key", type: "authentication_error" };
    return undefined;
  },
  validate(request) {
    const body = request.body as MessagesBody & Record<string, unknown>;
    if (typeof body.model !== "string" || body.model === "") return { status: 400, message: "model: Field required", type: "invalid_request_error" };
    if (typeof body.max_tokens !== "number") return { status: 400, message: "max_tokens: Field required", type: "invalid_request_error" };
    if (!Array.isArray(body.messages) || body.messages.length === 0) return { status: 400, message: "messages: Field required", type: "invalid_request_error" };
    if (request.headers["anthropic-version"] === currentVersion) {
      for (const field of ["temperature", "top_p", "top_k"]) {
        if (field in body) return { status: 400, message: `${field}: Extra inputs are not permitted`, type: "invalid_request_error" };
      }
    }
    return undefined;
  },
  userText(body) {
    const last = [...((body as MessagesBody).messages ?? [])].reverse().find((m) => m.role === "user");
    return typeof last?.content === "string" ? last.content : "";
  },
  errorBody: (error: WireError) => ({
    type: "error",
    error: { type: error.type ?? typeForStatus(error.status), message: error.message },
    request_id: `req_${Math.random().toString(36).slice(2, 14)}`,
  }),
  responseHeaders: () => ({ "request-id": `req_${Math.random().toString(36).slice(2, 14)}` }),
  completion: (answer) => ({
    id: answer.id,
    type: "message",
    role: "assistant",
    model: answer.model,
    content: [{ type: "text", text: answer.text }],
    stop_reason: stopReasons[answer.finishReason],
    stop_sequence: null,
    usage: usageOf(answer, answer.usage.completion),
  }),
  streamStart: (answer) => [
    sse(
      {
        type: "message_start",
        message: { id: answer.id, type: "message", role: "assistant", model: answer.model, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(answer, 1) },
      },
      "message_start",
    ),
    sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
    sse({ type: "ping" }, "ping"),
  ],
  streamChunk: (_answer, text) => sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta"),
  streamEnd: (answer) => [
    sse({ type: "content_block_stop", index: 0 }, "content_block_stop"),
    sse(
      {
        type: "message_delta",
        delta: { stop_reason: stopReasons[answer.finishReason], stop_sequence: null },
        usage: { output_tokens: answer.usage.completion },
      },
      "message_delta",
    ),
    sse({ type: "message_stop" }, "message_stop"),
  ],
  streamError: (error) => sse({ type: "error", error: { type: error.type ?? typeForStatus(error.status), message: error.message } }, "error"),
};
