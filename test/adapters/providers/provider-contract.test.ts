import "../../support/loopback-only";
import { expect } from "vitest";
import { createAnthropicProvider } from "../../../src/adapters/providers/anthropic/anthropic-provider";
import { anthropicJsonInstruction } from "../../../src/adapters/providers/anthropic/convert-to-anthropic-request";
import { createGeminiProvider } from "../../../src/adapters/providers/gemini/gemini-provider";
import { createOpenAIProvider } from "../../../src/adapters/providers/openai/openai-provider";
import { runProviderContract } from "../../contracts/provider.contract";

runProviderContract({
  vendor: "openai",
  make: createOpenAIProvider,
  expectMappedRequest(request, expected) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer test-key");
    expect(request.headers["x-stainless-retry-count"]).toBe("0");
    expect(request.body).toEqual({
      model: expected.model,
      messages: [
        { role: "system", content: expected.system },
        { role: "user", content: expected.user },
      ],
      temperature: expected.options.temperature,
      top_p: expected.options.topP,
      // A custom base URL is an OpenAI-compatible server: they read max_tokens.
      max_tokens: expected.options.maxTokens,
      stop: expected.options.stopSequences,
      response_format: { type: "json_object" },
    });
  },
  expectStreamRequest(request, model) {
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.body).toMatchObject({ model, stream: true, stream_options: { include_usage: true } });
  },
  contextLengthError: {
    kind: "error",
    status: 400,
    code: "context_length_exceeded",
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 190000 tokens.",
  },
});

runProviderContract({
  vendor: "anthropic",
  make: createAnthropicProvider,
  expectMappedRequest(request, expected) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v1/messages");
    expect(request.headers.authorization).toBe("Bearer test-key");
    expect(request.headers["anthropic-version"]).toBe("2026-10-21");
    expect(request.headers["x-stainless-retry-count"]).toBe("0");
    // API version 2026-10-21 rejects temperature and top_p at any value: they are not sent.
    expect(request.body).toEqual({
      model: expected.model,
      max_tokens: expected.options.maxTokens,
      system: `${expected.system}\n\n${anthropicJsonInstruction}`,
      messages: [{ role: "user", content: expected.user }],
      stop_sequences: expected.options.stopSequences,
    });
  },
  expectStreamRequest(request, model) {
    expect(request.path).toBe("/v1/messages");
    expect(request.body).toMatchObject({ model, stream: true });
  },
  contextLengthError: { kind: "error", status: 400, type: "invalid_request_error", message: "prompt is too long: 210345 tokens > 200000 maximum" },
});

runProviderContract({
  vendor: "gemini",
  make: createGeminiProvider,
  expectMappedRequest(request, expected) {
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/v1beta/models/${expected.model}:generateContent`);
    expect(request.headers["x-goog-api-key"]).toBe("test-key");
    expect(request.body).toEqual({
      contents: [{ role: "user", parts: [{ text: expected.user }] }],
      systemInstruction: { parts: [{ text: expected.system }] },
      generationConfig: {
        temperature: expected.options.temperature,
        topP: expected.options.topP,
        maxOutputTokens: expected.options.maxTokens,
        stopSequences: expected.options.stopSequences,
        responseMimeType: "application/json",
      },
    });
  },
  expectStreamRequest(request, model) {
    expect(request.path).toBe(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);
  },
  contextLengthError: {
    kind: "error",
    status: 400,
    message: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
  },
});
