import { describe, expect, it } from "vitest";
import { toAnthropicRequest } from "../../../src/adapters/providers/anthropic/convert-to-anthropic-request";
import { mapAnthropicStopReason } from "../../../src/adapters/providers/anthropic/map-anthropic-stop-reason";
import { mapAnthropicUsage, mergeAnthropicUsage } from "../../../src/adapters/providers/anthropic/map-anthropic-usage";
import { toGeminiRequest } from "../../../src/adapters/providers/gemini/convert-to-gemini-request";
import { mapGeminiFinishReason } from "../../../src/adapters/providers/gemini/map-gemini-finish-reason";
import { mapGeminiUsage } from "../../../src/adapters/providers/gemini/map-gemini-usage";
import { readGeminiResponse } from "../../../src/adapters/providers/gemini/read-gemini-response";
import { parseGoogleErrorBody } from "../../../src/adapters/providers/gemini/map-gemini-error";
import { toOpenAIRequest } from "../../../src/adapters/providers/openai/convert-to-openai-request";
import { mapOpenAIFinishReason } from "../../../src/adapters/providers/openai/map-openai-finish-reason";
import { mapOpenAIUsage } from "../../../src/adapters/providers/openai/map-openai-usage";

describe("OpenAI mapping", () => {
  it("sends max_completion_tokens to OpenAI itself and max_tokens to compatible servers", () => {
    const official = toOpenAIRequest({ user: "u" }, { maxTokens: 10 }, { model: "gpt-4.1-mini", customEndpoint: false });
    const compatible = toOpenAIRequest({ user: "u" }, { maxTokens: 10 }, { model: "llama3", customEndpoint: true });
    expect(official).toEqual({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "u" }], max_completion_tokens: 10 });
    expect(compatible).toEqual({ model: "llama3", messages: [{ role: "user", content: "u" }], max_tokens: 10 });
  });

  it("leaves out an empty system prompt and empty stop list", () => {
    expect(toOpenAIRequest({ system: "", user: "u" }, { stopSequences: [] }, { model: "m", customEndpoint: false }).messages).toEqual([{ role: "user", content: "u" }]);
  });

  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["content_filter", "content_filter"],
    ["tool_calls", "other"],
    [null, undefined],
  ])("maps finish_reason %s to %s", (reason, expected) => expect(mapOpenAIFinishReason(reason)).toBe(expected));

  it("keeps cached prompt tokens inside prompt and apart", () => {
    expect(mapOpenAIUsage({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 } })).toEqual({
      prompt: 100,
      completion: 20,
      total: 120,
      cachedPrompt: 64,
    });
    expect(mapOpenAIUsage(null)).toBeUndefined();
  });
});

describe("Anthropic mapping", () => {
  it("always sends max_tokens, joins the JSON instruction to the system prompt and warns about sampling options", () => {
    const { body, warnings } = toAnthropicRequest({ system: "S", user: "U" }, { temperature: 0.1, topP: 0.5, jsonMode: true }, "claude-sonnet-4-6");
    expect(body.max_tokens).toBe(8192);
    expect(body.system).toMatch(/^S\n\nAnswer with one valid JSON value/);
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    expect(warnings).toHaveLength(2);
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["refusal", "content_filter"],
    ["tool_use", "other"],
  ])("maps stop_reason %s to %s", (reason, expected) => expect(mapAnthropicStopReason(reason)).toBe(expected));

  it("counts cache reads and writes as prompt tokens", () => {
    expect(mapAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 7 })).toEqual({
      prompt: 105,
      completion: 7,
      total: 112,
      cachedPrompt: 90,
    });
  });

  it("merges stream usage: input from message_start, output from message_delta", () => {
    const merged = mergeAnthropicUsage(mergeAnthropicUsage({}, { input_tokens: 30, output_tokens: 1 }), { output_tokens: 42, input_tokens: null });
    expect(mapAnthropicUsage(merged)).toEqual({ prompt: 30, completion: 42, total: 72 });
  });
});

describe("Gemini mapping", () => {
  it("puts options under generation config and the system prompt in systemInstruction", () => {
    expect(toGeminiRequest({ user: "U" }, { maxTokens: 5, temperature: 0 }, "gemini-2.5-flash")).toEqual({
      model: "gemini-2.5-flash",
      contents: [{ role: "user", parts: [{ text: "U" }] }],
      config: { maxOutputTokens: 5, temperature: 0 },
    });
  });

  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["MALFORMED_FUNCTION_CALL", "other"],
  ])("maps finishReason %s to %s", (reason, expected) => expect(mapGeminiFinishReason(reason)).toBe(expected));

  it("counts thinking tokens as completion", () => {
    expect(mapGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 6, totalTokenCount: 20, cachedContentTokenCount: 3 })).toEqual({
      prompt: 10,
      completion: 10,
      total: 20,
      cachedPrompt: 3,
    });
  });

  it("reads the answer's text without thought summaries, and a blocked prompt as content_filter", () => {
    expect(
      readGeminiResponse({ candidates: [{ content: { parts: [{ text: "thinking...", thought: true }, { text: "answer" }] }, finishReason: "STOP" as never }], modelVersion: "g-1" }),
    ).toEqual({ text: "answer", finishReason: "stop", model: "g-1" });
    expect(readGeminiResponse({ promptFeedback: { blockReason: "SAFETY" as never } }).finishReason).toBe("content_filter");
  });

  it("finds Google's error body behind the SDK's message prefix", () => {
    expect(parseGoogleErrorBody('got status: UNAVAILABLE. {"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}')).toEqual({
      code: 503,
      message: "busy",
      status: "UNAVAILABLE",
    });
    expect(parseGoogleErrorBody("no json here")).toBeUndefined();
  });
});
