import "../../support/loopback-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { type ConfigLayer, configSchema } from "../../../src/app/config/config-schema";
import { createProviderService } from "../../../src/app/providers/provider-service";
import { type FakeServer, startFakeServer } from "../../fakes/fake-server";

describe("provider service", () => {
  let openai: FakeServer;
  let anthropic: FakeServer;
  let dir: string;
  let handle: SqliteHandle;

  beforeAll(async () => {
    [openai, anthropic] = await Promise.all([startFakeServer("openai"), startFakeServer("anthropic")]);
  });
  afterAll(async () => Promise.all([openai.close(), anthropic.close()]));
  beforeEach(async () => {
    openai.reset();
    anthropic.reset();
    dir = mkdtempSync(join(tmpdir(), "grompt-providers-"));
    handle = await openSqliteDatabase(join(dir, "grompt.db"));
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (layer: ConfigLayer = {}) =>
    createProviderService({
      config: configSchema.parse({
        providers: {
          openai: { apiKey: "test-key", baseUrl: openai.baseUrl },
          anthropic: { apiKey: "test-key", baseUrl: anthropic.baseUrl },
        },
        ...layer,
      }),
      openCache: async () => createSqliteCache(handle.raw, { maxEntries: 10 }),
    });

  it("resolves the default provider to a policy-wrapped one: priced, cached, reporting its name", async () => {
    const providers = service();
    const provider = await providers.resolve();
    expect(provider).toMatchObject({ name: "openai", id: "openai", model: "gpt-4.1-mini" });
    openai.enqueue({ kind: "text", text: "hello", usage: { prompt: 1000, completion: 1000 } });
    expect(await provider.generate({ user: "hi" })).toMatchObject({ text: "hello", cached: false, costMicros: 400 + 1600 });
    expect(await provider.generate({ user: "hi" })).toMatchObject({ text: "hello", cached: true, costMicros: 0 });
    expect(openai.requests).toHaveLength(1);
    expect(await providers.cacheStats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
  });

  it("uses defaults.model only for the default provider", async () => {
    const providers = service({ defaults: { provider: "openai", model: "gpt-4o" } });
    expect((await providers.resolve()).model).toBe("gpt-4o");
    expect((await providers.resolve({ provider: "anthropic" })).model).toBe("claude-sonnet-4-6");
    expect((await providers.resolve({ provider: "anthropic:claude-haiku-4-5" })).model).toBe("claude-haiku-4-5");
    expect((await providers.resolve({ provider: "anthropic:claude-haiku-4-5", model: "claude-opus-4-8" })).model).toBe("claude-opus-4-8");
  });

  it("fails before any request when the key is missing, naming the variable", async () => {
    const providers = createProviderService({ config: configSchema.parse({}) });
    await expect(providers.resolve({ provider: "gemini" })).rejects.toMatchObject({ code: "provider_not_configured", message: expect.stringContaining("GEMINI_API_KEY") });
    await expect(providers.resolve({ provider: "nope" })).rejects.toMatchObject({ code: "provider_unknown" });
  });

  it("records with a real provider, then replays with no key and no network", async () => {
    const cassette = join(dir, "demo.jsonl");
    openai.enqueue({ kind: "text", chunks: ["re", "corded"] });
    const live = await service().resolve({ record: cassette });
    const chunks: string[] = [];
    for await (const chunk of live.stream!({ user: "tell me" })) chunks.push(chunk);
    expect(chunks).toEqual(["re", "corded"]);

    const offline = createProviderService({ config: configSchema.parse({}) });
    const replay = await offline.resolve({ cassette });
    expect(replay).toMatchObject({ name: "replay", id: "openai", model: "gpt-4.1-mini" });
    expect(await replay.generate({ user: "tell me" })).toMatchObject({ text: "recorded", provider: "openai", costMicros: 0 });
    expect(openai.requests).toHaveLength(1);
  });

  it("refuses contradictory flags", async () => {
    const providers = service();
    await expect(providers.resolve({ provider: "openai", cassette: "x.jsonl" })).rejects.toMatchObject({ code: "usage" });
    await expect(providers.resolve({ provider: "replay", cassette: "x.jsonl", record: "y.jsonl" })).rejects.toMatchObject({ code: "usage" });
    await expect(providers.resolve({ provider: "replay" })).rejects.toMatchObject({ code: "provider_not_configured" });
  });

  it("lists every provider with its status, default model and price", () => {
    const listing = createProviderService({ config: configSchema.parse({ providers: { openai: { baseUrl: "http://localhost:11434/v1", model: "llama3.2" } } }) }).list();
    expect(listing.map(({ name, configured, reason }) => ({ name, configured, reason }))).toEqual([
      { name: "openai", configured: true, reason: "local base URL, no key needed" },
      { name: "anthropic", configured: false, reason: "no API key: set ANTHROPIC_API_KEY" },
      { name: "gemini", configured: false, reason: "no API key: set GEMINI_API_KEY or GOOGLE_API_KEY" },
      { name: "replay", configured: true, reason: "answers from --cassette <file.jsonl>: no key, no network" },
    ]);
    expect(listing[0]?.price).toBeUndefined();
    expect(listing[1]).toMatchObject({ defaultModel: "claude-sonnet-4-6", price: { input: 3, output: 15 } });
  });

  it("calls the vendor every time when the cache is off", async () => {
    const provider = await service({ cache: { enabled: false } }).resolve();
    await provider.generate({ user: "same" });
    await provider.generate({ user: "same" });
    expect(openai.requests).toHaveLength(2);
  });
});
