import type { FinishReason } from "./script";
import { type VendorWire, type WireAnswer, type WireError, sse } from "./wire";

const finishReasons: Record<FinishReason, string> = { stop: "STOP", length: "MAX_TOKENS", content_filter: "SAFETY", other: "OTHER" };

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};
const statusName = (status: number): string => statusNames[status] ?? (status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");

interface GenerateBody {
  contents?: { role?: string; parts?: { text?: unknown }[] }[];
}

const usageOf = (answer: WireAnswer, completion: number) => ({
  promptTokenCount: answer.usage.prompt,
  candidatesTokenCount: completion,
  totalTokenCount: answer.usage.prompt + completion,
  ...(answer.usage.cachedPrompt ? { cachedContentTokenCount: answer.usage.cachedPrompt } : {}),
  promptTokensDetails: [{ modality: "TEXT", tokenCount: answer.usage.prompt }],
});

const frame = (data: unknown): string => sse(data).replace(/\n\n$/, "\r\n\r\n");

/**
 * Gemini API: `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`,
 * `x-goog-api-key`, data-only SSE without `[DONE]`, Google's `{error:{code,message,status}}` envelope.
 */
export const geminiWire: VendorWire = {
  vendor: "gemini",
  basePathForClients: "",
  route(method, url) {
    const match = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
    if (method !== "POST" || match === null) return undefined;
    const stream = match[2] === "streamGenerateContent";
    if (stream && url.searchParams.get("alt") !== "sse") return undefined;
    return { model: decodeURIComponent(match[1] ?? ""), stream };
  },
  authenticate(headers, url, expectedKey) {
    if (expectedKey === null) return undefined;
    const key = headers["x-goog-api-key"] ?? url.searchParams.get("key") ?? undefined;
    if (key === undefined) return { status: 403, message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", type: "PERMISSION_DENIED" };
    if (key !== expectedKey) return { status: 400, message: "API key not valid. Please pass a valid API key.", type: "INVALID_ARGUMENT", code: "API_KEY_INVALID" };
    return undefined;
  },
  validate(request) {
    const body = request.body as GenerateBody;
    if (!Array.isArray(body.contents) || body.contents.length === 0) return { status: 400, message: "* GenerateContentRequest.contents: contents is not specified", type: "INVALID_ARGUMENT" };
    return undefined;
  },
  userText(body) {
    const last = [...((body as GenerateBody).contents ?? [])].reverse().find((c) => c.role !== "model");
    return (last?.parts ?? []).map((p) => (typeof p.text === "string" ? p.text : "")).join("");
  },
  errorBody: (error: WireError) => ({
    error: {
      code: error.status,
      message: error.message,
      status: error.type ?? statusName(error.status),
      ...(error.code === undefined ? {} : { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: error.code, domain: "googleapis.com" }] }),
    },
  }),
  responseHeaders: () => ({ "x-goog-request-id": Math.random().toString(36).slice(2, 14) }),
  completion: (answer) => ({
    candidates: [{ content: { parts: [{ text: answer.text }], role: "model" }, finishReason: finishReasons[answer.finishReason], index: 0 }],
    usageMetadata: usageOf(answer, answer.usage.completion),
    modelVersion: answer.model,
    responseId: answer.id,
  }),
  streamStart: () => [],
  streamChunk: (answer, text, index) =>
    frame({
      candidates: [{ content: { parts: [{ text }], role: "model" }, index: 0 }],
      usageMetadata: usageOf(answer, index + 1),
      modelVersion: answer.model,
      responseId: answer.id,
    }),
  streamEnd: (answer) => [
    frame({
      candidates: [{ content: { parts: [{ text: "" }], role: "model" }, finishReason: finishReasons[answer.finishReason], index: 0 }],
      usageMetadata: usageOf(answer, answer.usage.completion),
      modelVersion: answer.model,
      responseId: answer.id,
    }),
  ],
  streamError: (error) => frame({ error: { code: error.status, message: error.message, status: error.type ?? statusName(error.status) } }),
};
