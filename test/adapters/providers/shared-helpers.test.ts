import { describe, expect, it } from "vitest";
import { codeForStatus, vendorError } from "../../../src/adapters/providers/shared/provider-error";
import type { GenOptions } from "../../../src/core/ports/provider-port";
import { type NormalizedRequest, canonicalJson, canonicalRequestJson, normalizeRequest, requestKey } from "../../../src/adapters/providers/shared/request-key";
import { retryAfterMs, retryDelayFromDetails } from "../../../src/adapters/providers/shared/retry-after";
import { scrubSecrets } from "../../../src/adapters/providers/shared/scrub-secrets";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("Retry-After", () => {
  it("reads retry-after-ms first, then seconds, then an HTTP date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "1500", "retry-after": "9" }))).toBe(1500);
    expect(retryAfterMs(headers({ "retry-after": "2.5" }))).toBe(2500);
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "Wed, 25 Nov 2026 10:00:03 GMT" }), now)).toBe(3000);
  });

  it("ignores absent and unreadable values", () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "-3" }))).toBeUndefined();
  });

  it("reads Google's RetryInfo delay", () => {
    expect(retryDelayFromDetails([{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" }])).toBe(1500);
    expect(retryDelayFromDetails([{ reason: "x" }])).toBeUndefined();
  });
});

describe("vendor errors", () => {
  it.each([
    [undefined, "unavailable", true],
    [400, "bad_request", false],
    [401, "auth", false],
    [403, "auth", false],
    [404, "bad_request", false],
    [408, "timeout", true],
    [409, "unavailable", true],
    [422, "bad_request", false],
    [429, "rate_limited", true],
    [500, "unavailable", true],
    [503, "unavailable", true],
    [529, "unavailable", true],
  ])("status %s → %s (retryable %s)", (status, code, retryable) => expect(codeForStatus(status)).toEqual({ code, retryable }));

  it("keeps the vendor's words, scrubs the key and stops retrying an exhausted quota", () => {
    const error = vendorError(
      { vendor: "openai", status: 429, message: "You exceeded your current quota (key sk-proj-abcdefghijklmnop1234)", quotaExhausted: true, retryAfterMs: 10 },
      ["sk-proj-abcdefghijklmnop1234"],
    );
    expect(error.code).toBe("rate_limited");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("openai 429: You exceeded your current quota (key [REDACTED])");
    expect(error.details).toMatchObject({ provider: "openai", status: 429, retryAfterMs: 10 });
    expect(error.hint).toMatch(/billing/);
  });

  it("scrubs exact secrets and key-shaped strings", () => {
    expect(scrubSecrets("key abc-secret-1 and sk-ant-ABCDEFGHIJKLMNOP and AIzaSyA1234567890123456789012345678", ["abc-secret-1"])).toBe(
      "key [REDACTED] and [REDACTED] and [REDACTED]",
    );
  });
});

describe("request key", () => {
  const base = { provider: "openai", model: "m", input: { system: "s", user: "u" } };

  it("keeps the keys of earlier releases (cassettes and cache entries stay valid)", () => {
    const full = normalizeRequest({
      provider: "openai",
      model: "gpt-4.1-mini",
      input: { system: "Be brief.", user: 'Say "hi" \u00e9 \n' },
      options: { temperature: 0.2, stopSequences: ["END"], maxTokens: 50 },
      endpoint: "http://127.0.0.1:11434/v1",
    });
    expect(requestKey(full)).toBe("9ef2b605d951b6105a69943a821a37eb79e2a1653236682351d96a0ae9669832");
    expect(requestKey(normalizeRequest({ provider: "anthropic", model: "claude", input: { user: "u" } }))).toBe(
      "e14529c2ce5fd384b328b12c812ea15334c963c5cd8a92279c7270e8710db63d",
    );
  });

  it("writes a request out exactly as the general canonical JSON does", () => {
    const requests = [
      normalizeRequest(base),
      normalizeRequest({ ...base, input: { user: "only a user" } }),
      normalizeRequest({ ...base, endpoint: "http://127.0.0.1:1/v1", options: { topP: 0.5, jsonMode: true, seed: 7 } as GenOptions }),
      normalizeRequest({ ...base, input: { system: "ünïcode \u2028 \"quoted\"", user: "line\nbreak" }, options: { stopSequences: ["b", "a"] } }),
      { provider: "openai", model: "m", user: "u" } as NormalizedRequest,
      { provider: "openai", model: "m", user: "u", options: {}, extra: { z: 1, a: 2 } } as unknown as NormalizedRequest,
    ];
    for (const request of requests) expect(canonicalRequestJson(request)).toBe(canonicalJson(request));
  });

  it("does not depend on key order", () => {
    const a = requestKey(normalizeRequest({ ...base, options: { temperature: 0.2, maxTokens: 10, stopSequences: ["x"] } }));
    const b = requestKey(normalizeRequest({ ...base, options: { stopSequences: ["x"], maxTokens: 10, temperature: 0.2 } }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it("treats absent, undefined and neutral options alike", () => {
    const plain = requestKey(normalizeRequest(base));
    expect(requestKey(normalizeRequest({ ...base, options: { temperature: undefined, jsonMode: false, stopSequences: [] } }))).toBe(plain);
    expect(requestKey(normalizeRequest({ ...base, input: { system: "", user: "u" } }))).not.toBe(plain);
  });

  it("changes with every part of the request", () => {
    const keys = new Set([
      requestKey(normalizeRequest(base)),
      requestKey(normalizeRequest({ ...base, provider: "gemini" })),
      requestKey(normalizeRequest({ ...base, model: "m2" })),
      requestKey(normalizeRequest({ ...base, input: { system: "s2", user: "u" } })),
      requestKey(normalizeRequest({ ...base, input: { system: "s", user: "u2" } })),
      requestKey(normalizeRequest({ ...base, options: { temperature: 0.3 } })),
      requestKey(normalizeRequest({ ...base, options: { jsonMode: true } })),
      requestKey(normalizeRequest({ ...base, endpoint: "http://127.0.0.1:11434/v1" })),
    ]);
    expect(keys.size).toBe(8);
  });

  it("writes canonical JSON with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"x":2,"y":1}]},"b":1}');
  });
});

describe("network error messages", () => {
  it("name the innermost cause", async () => {
    const { describeCauses } = await import("../../../src/adapters/providers/shared/cause-chain");
    const root = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const error = new Error("Connection error.", { cause: new TypeError("fetch failed", { cause: root }) });
    expect(describeCauses(error)).toBe("Connection error. (fetch failed: connect ECONNREFUSED 127.0.0.1:9)");
    expect(describeCauses(new Error("plain"))).toBe("plain");
  });
});
