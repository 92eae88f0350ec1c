import "../../support/loopback-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { createContainer } from "../../../src/app/container";
import { createPriceBook } from "../../../src/app/providers/price-book";
import { withProviderPolicy } from "../../../src/app/providers/provider-policy";
import { GromptError } from "../../../src/core/domain/errors";
import type { CachedAnswer } from "../../../src/core/ports/cache-port";
import { startFakeServer } from "../../fakes/fake-server";
import { holdDoomedTransaction } from "../../support/doomed-transaction";
import { scriptedProvider } from "../../support/scripted-provider";

const answer = (text: string): CachedAnswer => ({ result: { text, provider: "openai", model: "m", usage: { prompt: 1, completion: 2, total: 3 } } });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SQLite response cache with deferred writes", () => {
  let dir: string;
  let handles: SqliteHandle[];
  let clock: number;
  let failures: unknown[];
  const connect = async () => {
    const handle = await openSqliteDatabase(join(dir, "grompt.db"));
    handles.push(handle);
    return handle;
  };
  const open = async (maxEntries = 100) => {
    const handle = await connect();
    return { handle, cache: createSqliteCache(handle.raw, { maxEntries, now: () => clock, deferWrites: true, onDeferredError: (e) => failures.push(e) }) };
  };
  const rows = (handle: SqliteHandle) => handle.raw.prepare("select key, hits from cache_entries order by key").all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grompt-deferred-cache-"));
    handles = [];
    clock = 1_000_000;
    failures = [];
  });
  afterEach(async () => {
    for (const handle of handles) if (handle.raw.open) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers from what it stored at once, as a copy; other connections see it after the event-loop turn", async () => {
    const { cache } = await open();
    const other = await connect();
    const stored = answer("hi");
    await cache.set("k", stored, 1_000);
    stored.result.text = "changed by the caller";
    expect(await cache.get("k")).toEqual(answer("hi"));
    expect(rows(other)).toEqual([]);
    await turn();
    expect(rows(other)).toEqual([{ key: "k", hits: 1 }]);
    expect(await createSqliteCache(other.raw, { maxEntries: 100, now: () => clock }).stats()).toMatchObject({ hits: 1, misses: 0, entries: 1 });
    clock += 1_000;
    expect(await cache.get("k")).toBeUndefined();
    expect(failures).toEqual([]);
  });

  it("writes recency and counts with the answers, so eviction and stats match the immediate cache", async () => {
    const { cache } = await open(2);
    await cache.set("a", answer("a"), 60_000);
    clock += 1;
    await cache.set("b", answer("b"), 60_000);
    await turn();
    clock += 1;
    await cache.get("a"); // a is now more recent than b
    await cache.get("nothing");
    clock += 1;
    await cache.set("c", answer("c"), 60_000);
    // stats() writes what is pending first.
    expect(await cache.stats()).toMatchObject({ hits: 1, misses: 1, entries: 2 });
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBeDefined();
    expect(await cache.get("c")).toBeDefined();
  });

  it("writes nothing while the vendor is asked after a miss: its count goes with the next flush", async () => {
    const { cache } = await open();
    const other = await connect();
    const misses = () => other.raw.prepare("select value from counters where name = 'cache_misses'").pluck().get();
    await cache.get("asked");
    await turn();
    expect(misses()).toBeUndefined();
    await cache.set("asked", answer("answered"), 60_000);
    await turn();
    expect(misses()).toBe(1);
    expect(rows(other)).toEqual([{ key: "asked", hits: 0 }]);
    await cache.get("failed call");
    await cache.flush?.();
    expect(misses()).toBe(2);
  });

  it("waits for another caller's open transaction instead of joining it", async () => {
    const { handle, cache } = await open();
    const doomed = holdDoomedTransaction(handle);
    await turn();
    await cache.set("k", answer("kept"), 60_000);
    await turn();
    await turn();
    doomed.release();
    expect(await doomed.outcome).toBe("roll back");
    await turn();
    expect(rows(await connect())).toEqual([{ key: "k", hits: 0 }]);
  });

  it("reports answers it could not write (the database closed under it) instead of throwing into a caller", async () => {
    const { handle, cache } = await open();
    await cache.set("k", answer("lost"), 60_000);
    handle.raw.close();
    await turn();
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain("1 cached answers");
  });

  it("never stores an error or a stream the consumer abandoned", async () => {
    const { handle, cache } = await open();
    const inner = scriptedProvider([{ error: new GromptError("bad_request", "no") }, { text: "abc", chunks: ["a", "b", "c"] }, { text: "full", chunks: ["fu", "ll"] }]);
    const provider = withProviderPolicy(inner, {
      settings: { timeoutMs: 1_000, maxAttempts: 1, maxRetryDelayMs: 0, chaos429: 0, baseDelayMs: 1, cacheTtlMs: 60_000 },
      prices: createPriceBook(),
      cache,
    });
    await expect(provider.generate({ user: "q" })).rejects.toMatchObject({ code: "bad_request" });
    for await (const _ of provider.stream!({ user: "q" })) break;
    await turn();
    expect(rows(handle)).toEqual([]);
    const chunks: string[] = [];
    for await (const chunk of provider.stream!({ user: "q" })) chunks.push(chunk);
    await turn();
    expect(rows(handle)).toHaveLength(1);
    expect(chunks).toEqual(["fu", "ll"]);
  });
});

describe("response cache in the container", () => {
  it("writes an answer cached just before close: the next process gets it from the cache", async () => {
    const fake = await startFakeServer("openai");
    const home = mkdtempSync(join(tmpdir(), "grompt-deferred-close-"));
    const env = { GROMPT_HOME: home, HOME: home, XDG_CONFIG_HOME: join(home, "config"), OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: fake.baseUrl };
    try {
      const first = createContainer({ cwd: home, env });
      const fresh = await (await first.providers.resolve()).generate({ user: "remember me" });
      await first.close();
      const second = createContainer({ cwd: home, env });
      const again = await (await second.providers.resolve()).generate({ user: "remember me" });
      expect(await second.providers.cacheStats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
      await second.close();
      expect(fresh.cached).toBe(false);
      expect(again).toMatchObject({ cached: true, text: fresh.text, costMicros: 0 });
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
