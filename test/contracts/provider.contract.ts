import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { VendorSettings } from "../../src/adapters/providers/shared/vendor-settings";
import { GromptError } from "../../src/core/domain/errors";
import type { GenOptions, GenResult, ModelProvider, ProviderCallEvent, ProviderId } from "../../src/core/ports/provider-port";
import { createPriceBook } from "../../src/app/providers/price-book";
import type { PolicySettings } from "../../src/app/providers/policy-settings";
import { withProviderPolicy } from "../../src/app/providers/provider-policy";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import type { RecordedRequest, Script } from "../fakes/script";

/** What the suite needs to know about one vendor; everything else is asserted identically. */
export interface ProviderHarness {
  vendor: ProviderId;
  /** Builds the real adapter (real SDK) pointed at the fake. */
  make(settings: VendorSettings): Promise<ModelProvider>;
  /** Asserts the vendor-specific shape of a mapped request (path, auth header, model, options). */
  expectMappedRequest(request: RecordedRequest, expected: { model: string; system: string; user: string; options: GenOptions }): void;
  /** Asserts what marks a request as streaming for this vendor. */
  expectStreamRequest(request: RecordedRequest, model: string): void;
  /** The vendor's real answer to a prompt longer than the context window. */
  contextLengthError: Script;
}

export const fullOptions: GenOptions = { temperature: 0.2, topP: 0.9, maxTokens: 123, stopSequences: ["END"], jsonMode: true };

const errorCases = [
  { status: 400, code: "bad_request", retryable: false },
  { status: 401, code: "auth", retryable: false },
  { status: 429, code: "rate_limited", retryable: true },
  { status: 500, code: "unavailable", retryable: true },
  { status: 529, code: "unavailable", retryable: true },
] as const;

async function failureOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<GromptError> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    expect(error).toBeInstanceOf(GromptError);
    return error as GromptError;
  }
  throw new Error("expected the call to fail");
}

async function collect(stream: AsyncIterable<string>, seen: string[] = []): Promise<string[]> {
  for await (const chunk of stream) seen.push(chunk);
  return seen;
}

const policy = (overrides: Partial<PolicySettings> = {}): PolicySettings => ({
  timeoutMs: 2_000,
  maxAttempts: 3,
  maxRetryDelayMs: 5_000,
  chaos429: 0,
  baseDelayMs: 5,
  cacheTtlMs: 60_000,
  ...overrides,
});

/** The provider contract, run identically for every adapter through its real SDK against its fake. */
export function runProviderContract(harness: ProviderHarness): void {
  const { vendor } = harness;

  describe(`${vendor} adapter against its fake`, () => {
    let fake: FakeServer;
    const settings = (overrides: Partial<VendorSettings> = {}): VendorSettings => ({
      apiKey: "test-key",
      baseUrl: fake.baseUrl,
      model: "test-model",
      timeoutMs: 5_000,
      customEndpoint: true,
      ...overrides,
    });
    const adapter = (overrides: Partial<VendorSettings> = {}) => harness.make(settings(overrides));

    beforeAll(async () => {
      fake = await startFakeServer(vendor);
    });
    afterAll(async () => {
      await fake.close();
    });
    beforeEach(() => fake.reset());

    it("answers with the text, the vendor's id and model, normalised usage and finish reason", async () => {
      fake.enqueue({ kind: "text", text: "Hello from the fake", model: "served-model-001", usage: { prompt: 12, completion: 5, cachedPrompt: 4 } });
      const result = await (await adapter()).generate({ user: "hi" });
      expect(result).toEqual({
        text: "Hello from the fake",
        provider: vendor,
        model: "served-model-001",
        usage: { prompt: 12, completion: 5, total: 17, cachedPrompt: 4 },
        finishReason: "stop",
      } satisfies GenResult);
    });

    it.each([
      ["length", "length"],
      ["content_filter", "content_filter"],
    ] as const)("maps the vendor's finish reason for %s", async (reason, expected) => {
      fake.enqueue({ kind: "text", text: "cut", finishReason: reason });
      expect((await (await adapter()).generate({ user: "hi" })).finishReason).toBe(expected);
    });

    it("maps the request: path, auth header, model, system, user and every option", async () => {
      await (await adapter({ model: "mapped-model" })).generate({ system: "Be terse.", user: "Name a colour." }, fullOptions);
      expect(fake.requests).toHaveLength(1);
      harness.expectMappedRequest(fake.requests[0] as RecordedRequest, { model: "mapped-model", system: "Be terse.", user: "Name a colour.", options: fullOptions });
    });

    it("streams the chunks in order and reports usage and finish reason when the stream ends", async () => {
      fake.enqueue({ kind: "text", chunks: ["Hel", "lo", " world"], usage: { prompt: 9, completion: 3 }, model: "stream-model" });
      const events: ProviderCallEvent[] = [];
      const chunks = await collect((await adapter()).stream!({ user: "hi" }, {}, { onEvent: (event) => events.push(event) }));
      expect(chunks).toEqual(["Hel", "lo", " world"]);
      const finished = events.find((event) => event.type === "provider-call-finished");
      expect(finished?.type === "provider-call-finished" && finished.result).toEqual({
        text: "Hello world",
        provider: vendor,
        model: "stream-model",
        usage: { prompt: 9, completion: 3, total: 12 },
        finishReason: "stop",
      });
      harness.expectStreamRequest(fake.requests[0] as RecordedRequest, "test-model");
    });

    describe.each(errorCases)("an HTTP $status error envelope", ({ status, code, retryable }) => {
      it(`becomes ${code} (retryable: ${retryable}) keeping the vendor's message`, async () => {
        fake.enqueue({ kind: "error", status, message: `boom from the fake ${status}` });
        const error = await failureOf((await adapter()).generate({ user: "hi" }));
        expect(error.code).toBe(code);
        expect(error.retryable).toBe(retryable);
        expect(error.message).toContain(`boom from the fake ${status}`);
        expect(error.details?.status).toBe(status);
        expect(error.details?.retryAfterMs).toBeUndefined();
      });

      it("carries Retry-After (seconds) when the server sends it", async () => {
        fake.enqueue({ kind: "error", status, message: "slow down", retryAfter: "2" });
        const error = await failureOf((await adapter()).generate({ user: "hi" }));
        expect(error.code).toBe(code);
        expect(error.details?.retryAfterMs).toBe(2_000);
      });
    });

    it("prefers retry-after-ms over Retry-After", async () => {
      fake.enqueue({ kind: "error", status: 429, retryAfter: "9", retryAfterMs: 1_500 });
      expect((await failureOf((await adapter()).generate({ user: "hi" }))).details?.retryAfterMs).toBe(1_500);
    });

    it("never shows the API key, even when the vendor echoes it back", async () => {
      const wrongKey = "sk-wrong-secret-key-1234567890abcdef";
      const error = await failureOf((await adapter({ apiKey: wrongKey })).generate({ user: "hi" }));
      expect(error.code).toBe("auth");
      expect(`${error.message} ${error.hint} ${JSON.stringify(error.details)}`).not.toContain(wrongKey);
    });

    it("sends no credentials at all when no key is configured (a local server)", async () => {
      const open = await startFakeServer(vendor, { apiKey: null });
      try {
        const provider = await harness.make({ ...settings(), apiKey: undefined, baseUrl: open.baseUrl });
        expect((await provider.generate({ user: "hi" })).text).toBe("echo: hi");
        const headers = open.requests[0]?.headers ?? {};
        expect([headers.authorization, headers["x-api-key"], headers["x-goog-api-key"]]).toEqual([undefined, undefined, undefined]);
      } finally {
        await open.close();
      }
    });

    it("reports a prompt longer than the context window as context_length", async () => {
      fake.enqueue(harness.contextLengthError);
      const error = await failureOf((await adapter()).generate({ user: "a very long prompt" }));
      expect(error.code).toBe("context_length");
      expect(error.retryable).toBe(false);
    });

    it("fails a stream that breaks mid-way with a typed error, after the chunks that did arrive", async () => {
      fake.enqueue({ kind: "stream-error", chunks: ["partial ", "answer"], status: 500, message: "stream fell over" });
      const seen: string[] = [];
      const error = await failureOf(collect((await adapter()).stream!({ user: "hi" }), seen));
      expect(seen).toEqual(["partial ", "answer"]);
      expect(error.code).toBe("unavailable");
      expect(error.message).toContain("stream fell over");
    });

    it("aborts mid-stream: the error is canceled and the HTTP request is torn down", async () => {
      fake.enqueue({ kind: "stall", chunks: ["first"] });
      const controller = new AbortController();
      const seen: string[] = [];
      const started = Date.now();
      const stream = (await adapter()).stream!({ user: "hi" }, {}, { signal: controller.signal });
      const error = await failureOf(async () => {
        for await (const chunk of stream) {
          seen.push(chunk);
          controller.abort();
        }
      });
      expect(seen).toEqual(["first"]);
      expect(error.code).toBe("canceled");
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect.poll(() => fake.requests[0]?.clientAborted).toBe(true);
    });

    it("times out a server that never answers", async () => {
      fake.enqueue({ kind: "hang" });
      const started = Date.now();
      const error = await failureOf((await adapter({ timeoutMs: 300 })).generate({ user: "hi" }));
      expect(error.code).toBe("timeout");
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it("reports a dropped connection as a retryable unavailable error", async () => {
      fake.enqueue({ kind: "drop" });
      const error = await failureOf((await adapter()).generate({ user: "hi" }));
      expect(error.code).toBe("unavailable");
      expect(error.retryable).toBe(true);
    });

    it("never sends a request that was canceled before it started", async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await failureOf((await adapter()).generate({ user: "hi" }, {}, { signal: controller.signal }));
      expect(error.code).toBe("canceled");
      expect(fake.requests).toHaveLength(0);
    });

    describe("under the policy layer", () => {
      const wrapped = async (overrides: Partial<PolicySettings> = {}) =>
        withProviderPolicy(await adapter(), { settings: policy(overrides), prices: createPriceBook() });

      it("retries a 429, waiting what retry-after-ms asked, then answers", async () => {
        fake.enqueue({ kind: "error", status: 429, retryAfterMs: 300 }, { kind: "text", text: "finally" });
        const events: ProviderCallEvent[] = [];
        const started = Date.now();
        const result = await (await wrapped()).generate({ user: "hi" }, {}, { onEvent: (event) => events.push(event) });
        expect(result.text).toBe("finally");
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
        expect(events.filter((event) => event.type === "provider-retried")).toEqual([
          { type: "provider-retried", attempt: 2, delayMs: 300, code: "rate_limited", status: 429 },
        ]);
        expect(fake.requests).toHaveLength(2);
      });

      it("caps an honoured Retry-After at maxRetryDelayMs", async () => {
        fake.enqueue({ kind: "error", status: 503, retryAfter: "30" }, { kind: "text", text: "ok" });
        const events: ProviderCallEvent[] = [];
        await (await wrapped({ maxRetryDelayMs: 200 })).generate({ user: "hi" }, {}, { onEvent: (event) => events.push(event) });
        expect(events.find((event) => event.type === "provider-retried")).toMatchObject({ delayMs: 200, status: 503 });
      });

      it("does not retry a 400", async () => {
        fake.enqueue({ kind: "error", status: 400, message: "bad option" });
        expect((await failureOf(async () => (await wrapped()).generate({ user: "hi" }))).code).toBe("bad_request");
        expect(fake.requests).toHaveLength(1);
      });

      it("retries a stream that fails before its first chunk", async () => {
        fake.enqueue({ kind: "error", status: 500 }, { kind: "text", chunks: ["a", "b"] });
        expect(await collect((await wrapped()).stream!({ user: "hi" }))).toEqual(["a", "b"]);
        expect(fake.requests).toHaveLength(2);
      });

      it("never retries a stream after its first chunk", async () => {
        fake.enqueue({ kind: "stream-error", chunks: ["half"], status: 500 }, { kind: "text", text: "never sent" });
        const seen: string[] = [];
        expect((await failureOf(async () => collect((await wrapped()).stream!({ user: "hi" }), seen))).code).toBe("unavailable");
        expect(seen).toEqual(["half"]);
        expect(fake.requests).toHaveLength(1);
      });

      it("times out each silent attempt and gives up after maxAttempts", async () => {
        fake.enqueue({ kind: "hang" }, { kind: "hang" }, { kind: "hang" });
        const error = await failureOf(async () => (await wrapped({ timeoutMs: 150 })).generate({ user: "hi" }));
        expect(error.code).toBe("timeout");
        expect(fake.requests).toHaveLength(3);
      });

      it("ends as canceled when the caller aborts during a retry wait", async () => {
        fake.enqueue({ kind: "error", status: 429, retryAfter: "5" });
        const controller = new AbortController();
        const provider = await wrapped();
        const call = provider.generate({ user: "hi" }, {}, {
          signal: controller.signal,
          onEvent: (event) => event.type === "provider-retried" && controller.abort(),
        });
        expect((await failureOf(call)).code).toBe("canceled");
        expect(fake.requests).toHaveLength(1);
      });

      it("with chaos429 = 0.3 over 200 calls, every call ends in a result or a typed error, never a hang", async () => {
        const provider = await wrapped({ chaos429: 0.3, baseDelayMs: 1 });
        const outcomes = { ok: 0, rateLimited: 0 };
        const started = Date.now();
        for (let batch = 0; batch < 20; batch += 1) {
          await Promise.all(
            Array.from({ length: 10 }, async (_, index) => {
              try {
                const result = await provider.generate({ user: `call ${batch}-${index}` });
                expect(result.text).toBe(`echo: call ${batch}-${index}`);
                outcomes.ok += 1;
              } catch (error) {
                expect(error).toBeInstanceOf(GromptError);
                expect((error as GromptError).code).toBe("rate_limited");
                outcomes.rateLimited += 1;
              }
            }),
          );
        }
        expect(outcomes.ok + outcomes.rateLimited).toBe(200);
        // 0.3^3 of calls fail all three attempts: a handful, never most.
        expect(outcomes.ok).toBeGreaterThan(170);
        // Chaos fails before the network: fewer requests reached the fake than attempts were made.
        expect(fake.requests.length).toBe(outcomes.ok);
        expect(Date.now() - started).toBeLessThan(20_000);
      });
    });
  });
}
