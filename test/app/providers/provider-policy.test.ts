import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { GromptError } from "../../../src/core/domain/errors";
import type { CachePort } from "../../../src/core/ports/cache-port";
import type { LoggerPort } from "../../../src/core/ports/logger-port";
import type { ModelProvider, ProviderCallEvent } from "../../../src/core/ports/provider-port";
import type { UsageEntry } from "../../../src/core/ports/store-port";
import { createPriceBook } from "../../../src/app/providers/price-book";
import type { PolicyDeps, PolicySettings } from "../../../src/app/providers/policy-settings";
import { withProviderPolicy } from "../../../src/app/providers/provider-policy";
import { scriptedProvider } from "../../support/scripted-provider";

const settings: PolicySettings = { timeoutMs: 1_000, maxAttempts: 3, maxRetryDelayMs: 10_000, chaos429: 0, baseDelayMs: 100, cacheTtlMs: 60_000 };

function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const make = (bound: Record<string, unknown>): LoggerPort => ({
    debug: (fields, message) => lines.push({ level: "debug", message, fields: { ...bound, ...fields } }),
    info: (fields, message) => lines.push({ level: "info", message, fields: { ...bound, ...fields } }),
    warn: (fields, message) => lines.push({ level: "warn", message, fields: { ...bound, ...fields } }),
    error: (fields, message) => lines.push({ level: "error", message, fields: { ...bound, ...fields } }),
    child: (fields) => make({ ...bound, ...fields }),
  });
  return { logger: make({}), lines };
}

const transient = (status = 503, retryAfterMs?: number) =>
  new GromptError("unavailable", `openai ${status}: busy`, { retryable: true, details: { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } });

async function drain(stream: AsyncIterable<string>, stopAfter = Infinity): Promise<string[]> {
  const seen: string[] = [];
  for await (const chunk of stream) {
    seen.push(chunk);
    if (seen.length >= stopAfter) break;
  }
  return seen;
}

describe("provider policy", () => {
  let handle: SqliteHandle;
  let cache: CachePort;
  let usage: UsageEntry[];
  let waits: number[];
  let log: ReturnType<typeof recordingLogger>;

  const wrap = (inner: ModelProvider, overrides: Partial<PolicyDeps> = {}) =>
    withProviderPolicy(inner, {
      settings,
      prices: createPriceBook(),
      cache,
      recordUsage: async (entry) => void usage.push(entry),
      logger: log.logger,
      random: () => 1,
      sleep: async (ms) => void waits.push(ms),
      ...overrides,
    });

  beforeEach(async () => {
    handle = await openSqliteDatabase(":memory:");
    cache = createSqliteCache(handle.raw, { maxEntries: 100 });
    usage = [];
    waits = [];
    log = recordingLogger();
  });
  afterEach(async () => handle.close());

  it("prices a fresh answer in micro-dollars and settles it in the usage ledger", async () => {
    const provider = wrap(scriptedProvider([{ text: "hi", usage: { prompt: 1000, completion: 500, total: 1500, cachedPrompt: 200 } }]));
    const result = await provider.generate({ user: "q" }, {}, { callId: "call-1", jobId: "job-1", scope: "token-a" });
    // gpt-4.1-mini: 800 × 0.4 + 200 × 0.1 + 500 × 1.6 = 1140 micro-dollars
    expect(result).toMatchObject({ text: "hi", cached: false, costMicros: 1140, callId: "call-1" });
    expect(usage).toEqual([
      expect.objectContaining({ callId: "call-1", jobId: "job-1", scope: "token-a", provider: "openai", model: "gpt-4.1-mini", costMicros: 1140, cached: false, status: "settled" }),
    ]);
  });

  it("answers the same request from the cache, whatever the order of its options, at no cost", async () => {
    const inner = scriptedProvider([{ text: "first" }, { text: "second" }]);
    const provider = wrap(inner);
    await provider.generate({ user: "q" }, { temperature: 0.1, maxTokens: 9 });
    const events: ProviderCallEvent[] = [];
    const hit = await provider.generate({ user: "q" }, { maxTokens: 9, temperature: 0.1 }, { onEvent: (event) => events.push(event) });
    expect(hit).toMatchObject({ text: "first", cached: true, costMicros: 0 });
    expect(inner.calls).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(["provider-cache-hit", "provider-call-finished"]);
    expect(usage.map((entry) => entry.cached)).toEqual([false, true]);
    expect(await cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it("with noCache asks the vendor again and refreshes the cached answer", async () => {
    const inner = scriptedProvider([{ text: "old" }, { text: "new" }]);
    const provider = wrap(inner);
    await provider.generate({ user: "q" });
    expect((await provider.generate({ user: "q" }, {}, { noCache: true })).text).toBe("new");
    expect((await provider.generate({ user: "q" })).text).toBe("new");
    expect(inner.calls).toHaveLength(2);
  });

  it("never caches an error or a stream the consumer abandoned", async () => {
    const inner = scriptedProvider([{ error: new GromptError("bad_request", "no") }, { text: "abc", chunks: ["a", "b", "c"] }, { text: "full", chunks: ["fu", "ll"] }]);
    const provider = wrap(inner);
    await expect(provider.generate({ user: "q" })).rejects.toMatchObject({ code: "bad_request" });
    expect(await drain(provider.stream!({ user: "q" }), 1)).toEqual(["a"]);
    expect(await drain(provider.stream!({ user: "q" }))).toEqual(["fu", "ll"]);
    // the completed stream is cached with its chunks, and replayed the same way
    expect(await drain(provider.stream!({ user: "q" }))).toEqual(["fu", "ll"]);
    expect(inner.calls).toHaveLength(3);
  });

  it("aborts the underlying attempt when the consumer stops reading", async () => {
    const inner = scriptedProvider([{ text: "abc", chunks: ["a", "b", "c"] }]);
    await drain(wrap(inner).stream!({ user: "q" }), 1);
    expect(inner.calls[0]?.signal?.aborted).toBe(true);
  });

  it("backs off exponentially with jitter when the vendor gives no Retry-After", async () => {
    const inner = scriptedProvider([{ error: transient() }, { error: transient() }, { text: "ok" }]);
    const events: ProviderCallEvent[] = [];
    await wrap(inner).generate({ user: "q" }, {}, { onEvent: (event) => events.push(event) });
    expect(waits).toEqual([100, 200]);
    expect(events.filter((e) => e.type === "provider-retried")).toEqual([
      { type: "provider-retried", attempt: 2, delayMs: 100, code: "unavailable", status: 503 },
      { type: "provider-retried", attempt: 3, delayMs: 200, code: "unavailable", status: 503 },
    ]);
    expect(log.lines.filter((line) => line.level === "warn").map((line) => line.message)).toEqual([
      "provider call failed; retrying",
      "provider call failed; retrying",
    ]);
  });

  it("gives up after maxAttempts with the last failure", async () => {
    const inner = scriptedProvider([{ error: transient(500) }]);
    await expect(wrap(inner).generate({ user: "q" })).rejects.toMatchObject({ code: "unavailable" });
    expect(inner.calls).toHaveLength(3);
  });

  it("fails chaos attempts with a 429 before reaching the provider", async () => {
    // chaos roll, jitter roll, chaos roll, jitter roll, chaos roll
    const rolls = [0.1, 0.5, 0.2, 0.5, 0.9];
    const inner = scriptedProvider([{ text: "made it" }]);
    const provider = wrap(inner, { settings: { ...settings, chaos429: 0.3 }, random: () => rolls.shift() ?? 0.9 });
    const events: ProviderCallEvent[] = [];
    expect((await provider.generate({ user: "q" }, {}, { onEvent: (event) => events.push(event) })).text).toBe("made it");
    expect(inner.calls).toHaveLength(1);
    expect(events.filter((e) => e.type === "provider-retried").map((e) => e.type === "provider-retried" && e.status)).toEqual([429, 429]);
  });

  it("times out an adapter that ignores its abort signal", async () => {
    const inner = scriptedProvider([{ hang: true, ignoreSignal: true }]);
    const provider = wrap(inner, { settings: { ...settings, timeoutMs: 50, maxAttempts: 1 } });
    await expect(provider.generate({ user: "q" })).rejects.toMatchObject({ code: "timeout", retryable: true });
    await expect(drain(provider.stream!({ user: "q" }))).rejects.toMatchObject({ code: "timeout" });
  });

  it("streams a provider that only generates, as one chunk with its usage", async () => {
    const only = scriptedProvider([{ text: "whole" }]);
    const generateOnly: ModelProvider = { id: only.id, model: only.model, generate: only.generate };
    const events: ProviderCallEvent[] = [];
    expect(await drain(wrap(generateOnly).stream!({ user: "q" }, {}, { onEvent: (event) => events.push(event) }))).toEqual(["whole"]);
    const finished = events.find((event) => event.type === "provider-call-finished");
    expect(finished?.type === "provider-call-finished" && finished.result).toMatchObject({ usage: { total: 1500 }, costMicros: 1200 });
  });

  it("reports an unknown model's cost as null and warns once", async () => {
    const provider = wrap(scriptedProvider([{ text: "x", model: "mystery-1" }], { model: "mystery-1" }));
    expect((await provider.generate({ user: "a" })).costMicros).toBeNull();
    await provider.generate({ user: "b" });
    expect(log.lines.filter((line) => line.message.startsWith("cost unknown for openai:mystery-1"))).toHaveLength(1);
  });

  it("never caches or bills a stand-in (replay)", async () => {
    const inner = scriptedProvider([{ text: "recorded" }], { billable: false });
    const provider = wrap(inner);
    expect((await provider.generate({ user: "q" })).costMicros).toBe(0);
    await provider.generate({ user: "q" });
    expect(inner.calls).toHaveLength(2);
    expect((await cache.stats()).entries).toBe(0);
  });

  it("keeps answering when the ledger cannot be written, and says so in the log", async () => {
    const provider = wrap(scriptedProvider([{ text: "fine" }]), {
      recordUsage: async () => {
        throw new Error("database is locked");
      },
    });
    expect((await provider.generate({ user: "q" })).text).toBe("fine");
    expect(log.lines.some((line) => line.level === "error" && line.message === "could not record provider usage")).toBe(true);
  });

  it("logs the call with its id and sizes, never the prompt unless asked", async () => {
    await wrap(scriptedProvider([{ text: "ok" }])).generate({ system: "secret system", user: "secret user" }, {}, { callId: "c-9", jobId: "j-9" });
    const started = log.lines.find((line) => line.message === "provider call started");
    expect(started?.fields).toMatchObject({ provider_call_id: "c-9", job_id: "j-9", promptChars: 25 });
    expect(JSON.stringify(log.lines)).not.toContain("secret user");
  });
});
