import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { lazyCache } from "../../../src/app/providers/lazy-cache";
import type { PolicyDeps, PolicySettings } from "../../../src/app/providers/policy-settings";
import { createPriceBook } from "../../../src/app/providers/price-book";
import { withProviderPolicy } from "../../../src/app/providers/provider-policy";
import type { CachePort } from "../../../src/core/ports/cache-port";
import type { GenResult, ModelProvider, ProviderCall } from "../../../src/core/ports/provider-port";
import type { UsageEntry } from "../../../src/core/ports/store-port";
import { scriptedProvider } from "../../support/scripted-provider";

const settings: PolicySettings = { timeoutMs: 1_000, maxAttempts: 1, maxRetryDelayMs: 10_000, chaos429: 0, baseDelayMs: 100, cacheTtlMs: 60_000 };

describe("provider policy without waiting on its own bookkeeping", () => {
  let handle: SqliteHandle;
  beforeEach(async () => {
    handle = await openSqliteDatabase(":memory:");
  });
  afterEach(async () => handle.close());

  const wrap = (inner: ModelProvider, overrides: Partial<PolicyDeps>) => withProviderPolicy(inner, { settings, prices: createPriceBook(), ...overrides });

  it("settles into a ledger that takes entries synchronously (a write-behind queue once open)", async () => {
    const queued: UsageEntry[] = [];
    const provider = wrap(scriptedProvider([{ text: "hi" }]), { recordUsage: (entry) => void queued.push(entry) });
    const result = await provider.generate({ user: "q" }, {}, { callId: "sync-1" });
    expect(result).toMatchObject({ text: "hi", callId: "sync-1", cached: false });
    expect(queued).toEqual([expect.objectContaining({ callId: "sync-1", status: "settled", costMicros: result.costMicros })]);
  });

  it("keeps answering when a synchronous ledger write throws", async () => {
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (_: unknown, message: string) => void errors.push(message), child: () => logger };
    const provider = wrap(scriptedProvider([{ text: "fine" }]), {
      logger,
      recordUsage: () => {
        throw new Error("database is locked");
      },
    });
    expect((await provider.generate({ user: "q" })).text).toBe("fine");
    expect(errors).toContain("could not record provider usage");
  });

  it("reads a lazily opened cache through its promise first, then synchronously, with the same hits and misses", async () => {
    let opened = 0;
    const cache: CachePort = lazyCache(async () => {
      opened += 1;
      return createSqliteCache(handle.raw, { maxEntries: 10, deferWrites: true });
    });
    expect(cache.getNow?.("k")).toBeUndefined();
    const inner = scriptedProvider([{ text: "first" }, { text: "second" }]);
    const provider = wrap(inner, { cache });
    expect((await provider.generate({ user: "q" })).cached).toBe(false);
    expect(cache.getNow?.("absent")).toEqual({ answer: undefined });
    expect(await provider.generate({ user: "q" })).toMatchObject({ text: "first", cached: true, costMicros: 0 });
    expect(inner.calls).toHaveLength(1);
    expect(opened).toBe(1);
    // Two lookups by the policy and one here, counted alike whichever way they were asked.
    expect(await cache.stats()).toMatchObject({ hits: 1, misses: 2, entries: 1 });
  });

  it("times out a stream that stalls after its first chunk, its adapter ignoring the abort", async () => {
    const stalling: ModelProvider = {
      id: "openai",
      model: "gpt-4.1-mini",
      generate: async (): Promise<GenResult> => ({ text: "", provider: "openai", model: "gpt-4.1-mini" }),
      async *stream(_input, _options, _call?: ProviderCall) {
        yield "first";
        await new Promise<never>(() => undefined);
      },
    };
    const provider = wrap(stalling, { settings: { ...settings, timeoutMs: 80 } });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of provider.stream!({ user: "q" })) seen.push(chunk);
      })(),
    ).rejects.toMatchObject({ code: "timeout" });
    expect(seen).toEqual(["first"]);
  });
});
