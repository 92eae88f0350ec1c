import "../../support/loopback-only";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../../src/adapters/store/sqlite/sqlite-store";
import { type ConfigLayer, configSchema } from "../../../src/app/config/config-schema";
import { createProviderService } from "../../../src/app/providers/provider-service";
import { GromptError } from "../../../src/core/domain/errors";
import type { ProviderCallEvent } from "../../../src/core/ports/provider-port";
import type { StorePort, UsageEntry } from "../../../src/core/ports/store-port";
import { type FakeServer, startFakeServer } from "../../fakes/fake-server";
import { makeTempDir } from "../../support/temp-home";

/** gpt-4.1-mini: 0.4 µ$ per prompt token, 1.6 µ$ per completion token. */
describe("usage limits in the provider layer (daily cost quota, tokens per minute)", () => {
  let openai: FakeServer;
  let temp: ReturnType<typeof makeTempDir>;
  let handle: SqliteHandle;
  let store: StorePort;
  let now: number;

  beforeAll(async () => {
    openai = await startFakeServer("openai");
  });
  afterAll(async () => openai.close());
  beforeEach(async () => {
    openai.reset();
    temp = makeTempDir();
    handle = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    store = createSqliteStore(handle);
    now = Date.now();
  });
  afterEach(async () => {
    await store.close();
    temp.cleanup();
  });

  const service = (layer: ConfigLayer = {}, clock?: { advance: boolean }) =>
    createProviderService({
      config: configSchema.parse({ providers: { openai: { apiKey: "test-key", baseUrl: openai.baseUrl } }, cache: { enabled: false }, ...layer }),
      recordUsage: (entry) => store.recordUsage(entry),
      reserveUsage: (check, reservation) => (store.reserveUsage as NonNullable<StorePort["reserveUsage"]>)(check, reservation),
      releaseReservation: (callId) => store.releaseReservation(callId),
      policy:
        clock === undefined
          ? { baseDelayMs: 1 }
          : { baseDelayMs: 1, clock: () => new Date(now), sleep: async (ms) => void (now += clock.advance ? ms : 0) },
    });
  const ledger = () => handle.raw.prepare("select call_id, status, scope, prompt_tokens, completion_tokens, cost_micros from usage_ledger order by ts").all() as {
    call_id: string;
    status: string;
    scope: string;
    prompt_tokens: number;
    completion_tokens: number;
    cost_micros: number | null;
  }[];
  const spent = (costMicros: number, overrides: Partial<UsageEntry> = {}) =>
    store.recordUsage({
      callId: `seed-${Math.random()}`,
      scope: "cli",
      provider: "openai",
      model: "gpt-4.1-mini",
      usage: { prompt: 0, completion: 0, total: 0 },
      costMicros,
      cached: false,
      status: "settled",
      ts: new Date(now).toISOString(),
      ...overrides,
    });
  const failure = async (work: Promise<unknown>): Promise<GromptError> => {
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GromptError);
    return error as GromptError;
  };

  it("reserves before the call and settles the real usage after it, leaving no reservation", async () => {
    const provider = await service({ limits: { dailyCostUsd: 0.01 } }).resolve();
    openai.enqueue({ kind: "text", text: "hello", usage: { prompt: 1000, completion: 1000 } });
    expect(await provider.generate({ user: "hi" }, { maxTokens: 100 })).toMatchObject({ text: "hello", costMicros: 2000 });
    expect(ledger()).toEqual([expect.objectContaining({ status: "settled", prompt_tokens: 1000, completion_tokens: 1000, cost_micros: 2000 })]);
  });

  it("refuses a call once today's spending reached the quota, before any request, naming the limit", async () => {
    await spent(10_000);
    const provider = await service({ limits: { dailyCostUsd: 0.01 } }).resolve();
    const error = await failure(provider.generate({ user: "hi" }));
    expect(error).toMatchObject({ code: "quota_exceeded", retryable: false, details: { limit: "limits.dailyCostUsd", limitUsd: 0.01, spentUsd: 0.01 } });
    expect(error.message).toContain("quota is spent");
    expect(error.details?.retryAfterMs).toBeGreaterThan(0);
    expect(error.details?.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(openai.requests).toHaveLength(0);
    expect(error.exitCode).toBe(2);
    expect(error.httpStatus).toBe(429);
  });

  it("counts only today (UTC): yesterday's spending leaves the quota whole", async () => {
    const midnight = new Date(now);
    midnight.setUTCHours(0, 0, 0, 0);
    await spent(50_000, { ts: new Date(midnight.getTime() - 1).toISOString() });
    const provider = await service({ limits: { dailyCostUsd: 0.01 } }).resolve();
    await expect(provider.generate({ user: "hi" }, { maxTokens: 10 })).resolves.toMatchObject({ text: "echo: hi" });
  });

  it("refuses a call whose estimate could pass what is left of the quota", async () => {
    await spent(9_000);
    const provider = await service({ limits: { dailyCostUsd: 0.01 } }).resolve();
    // 1 000 completion tokens may cost 1 600 µ$; 1 000 µ$ are left.
    const error = await failure(provider.generate({ user: "hi" }, { maxTokens: 1_000 }));
    expect(error.message).toMatch(/could pass the daily cost quota: \$0\.0090 of \$0\.0100 used today \(UTC\), and it may cost up to \$0\.0016/);
    await expect(provider.generate({ user: "hi" }, { maxTokens: 100 })).resolves.toBeDefined();
  });

  it("lets exactly as many concurrent calls through as their reservations fit, across every caller", async () => {
    // Each call reserves 1 prompt token + 500 completion tokens = 800 µ$; 2 000 µ$ fit two of them.
    const providers = [service({ limits: { dailyCostUsd: 0.002 } }), service({ limits: { dailyCostUsd: 0.002 } })];
    openai.setFallback(() => ({ kind: "text", text: "ok", delayMs: 100, usage: { prompt: 1, completion: 1 } }));
    const calls = await Promise.allSettled(
      Array.from({ length: 6 }, async (_, i) => (await (providers[i % 2] as ReturnType<typeof service>).resolve()).generate({ user: "hi" }, { maxTokens: 500 })),
    );
    openai.setFallback(undefined);
    expect(calls.filter((c) => c.status === "fulfilled")).toHaveLength(2);
    expect(calls.flatMap((c) => (c.status === "rejected" ? [(c.reason as GromptError).code] : []))).toEqual(Array(4).fill("quota_exceeded"));
    expect(openai.requests).toHaveLength(2);
    expect(ledger().map((row) => row.status)).toEqual(["settled", "settled"]);
  });

  it("settles an estimate for a stream the reader stopped, from the prompt and the text received", async () => {
    const provider = await service({ limits: { dailyCostUsd: 1 } }).resolve();
    openai.enqueue({ kind: "text", chunks: ["aaaaaa", "bbbbbb", "cccccc", "dddddd"], chunkDelayMs: 20 });
    const received: string[] = [];
    for await (const chunk of provider.stream?.({ user: "x".repeat(300) }, { maxTokens: 100 }) ?? []) {
      received.push(chunk);
      if (received.length === 2) break;
    }
    expect(received).toEqual(["aaaaaa", "bbbbbb"]);
    // 300 bytes of prompt ≈ 100 tokens; 12 bytes received ≈ 4 tokens.
    expect(ledger()).toEqual([expect.objectContaining({ status: "settled", prompt_tokens: 100, completion_tokens: 4, cost_micros: Math.round(100 * 0.4 + 4 * 1.6) })]);
  });

  it("settles the prompt's estimate for a canceled call, and releases a call the vendor refused", async () => {
    const provider = await service({ limits: { dailyCostUsd: 1 } }).resolve();
    openai.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const hanging = provider.generate({ user: "y".repeat(30) }, {}, { signal: controller.signal });
    while (openai.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect((await failure(hanging)).code).toBe("canceled");
    expect(ledger()).toEqual([expect.objectContaining({ status: "settled", prompt_tokens: 10, completion_tokens: 0 })]);

    openai.enqueue({ kind: "error", status: 400, message: "bad" });
    expect((await failure(provider.generate({ user: "z" }))).code).toBe("bad_request");
    expect(ledger()).toHaveLength(1);
  });

  it("waits for a daemon token's minute to free enough tokens, then calls; the CLI scope has no per-minute limit", async () => {
    const provider = await service({ server: { tokensPerMinute: 100 } }, { advance: true }).resolve();
    await spent(0, { scope: "token:abc", usage: { prompt: 80, completion: 0, total: 80 }, ts: new Date(now - 50_000).toISOString() });
    const events: ProviderCallEvent[] = [];
    const result = await provider.generate({ user: "hi" }, { maxTokens: 50 }, { scope: "token:abc", onEvent: (event) => events.push(event) });
    expect(result.text).toBe("echo: hi");
    expect(events).toContainEqual({ type: "provider-retried", attempt: 2, delayMs: 10_000, code: "rate_limit_exceeded" });

    await spent(0, { scope: "cli", usage: { prompt: 5_000, completion: 0, total: 5_000 } });
    await expect(provider.generate({ user: "hi" }, { maxTokens: 50 })).resolves.toBeDefined();
  });

  it("gives up on the per-minute limit when the wait is longer than the retry bound, or the call alone is too big", async () => {
    const provider = await service({ server: { tokensPerMinute: 100 }, request: { maxRetryDelayMs: 1_000 } }, { advance: false }).resolve();
    await spent(0, { scope: "token:abc", usage: { prompt: 90, completion: 0, total: 90 }, ts: new Date(now - 1_000).toISOString() });
    const waited = await failure(provider.generate({ user: "hi" }, { maxTokens: 50 }, { scope: "token:abc" }));
    expect(waited).toMatchObject({ code: "rate_limit_exceeded", retryable: true, details: { limit: "server.tokensPerMinute", limitTokens: 100, usedTokens: 90, retryAfterMs: 59_000 } });
    const huge = await failure(provider.generate({ user: "hi" }, { maxTokens: 5_000 }, { scope: "token:other" }));
    expect(huge).toMatchObject({ code: "rate_limit_exceeded", retryable: false });
    expect(huge.message).toContain("more than the 100 allowed per minute");
    expect(openai.requests).toHaveLength(0);
  });
});
