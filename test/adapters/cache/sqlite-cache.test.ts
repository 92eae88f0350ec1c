import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import type { CachedAnswer } from "../../../src/core/ports/cache-port";

const answer = (text: string): CachedAnswer => ({ result: { text, provider: "openai", model: "m", usage: { prompt: 1, completion: 2, total: 3 } } });

describe("SQLite response cache", () => {
  let dir: string;
  let handles: SqliteHandle[];
  let clock: number;
  const open = async (maxEntries = 100) => {
    const handle = await openSqliteDatabase(join(dir, "grompt.db"));
    handles.push(handle);
    return createSqliteCache(handle.raw, { maxEntries, now: () => clock });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grompt-cache-"));
    handles = [];
    clock = 1_000_000;
  });
  afterEach(async () => {
    for (const handle of handles) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("returns what was stored, with its stream chunks, until the time to live runs out", async () => {
    const cache = await open();
    await cache.set("k", { ...answer("hi"), chunks: ["h", "i"] }, 1_000);
    expect(await cache.get("k")).toEqual({ ...answer("hi"), chunks: ["h", "i"] });
    clock += 999;
    expect(await cache.get("k")).toBeDefined();
    clock += 1;
    expect(await cache.get("k")).toBeUndefined();
    expect((await cache.stats()).entries).toBe(0);
  });

  it("evicts the least recently used entry past maxEntries", async () => {
    const cache = await open(2);
    await cache.set("a", answer("a"), 60_000);
    clock += 1;
    await cache.set("b", answer("b"), 60_000);
    clock += 1;
    await cache.get("a"); // a is now more recent than b
    clock += 1;
    await cache.set("c", answer("c"), 60_000);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBeDefined();
    expect(await cache.get("c")).toBeDefined();
    expect((await cache.stats()).entries).toBe(2);
  });

  it("counts hits and misses in the shared database, so separate connections add up", async () => {
    const first = await open();
    const second = await open();
    await first.set("k", answer("x"), 60_000);
    await first.get("k");
    await second.get("k");
    await second.get("missing");
    const stats = await first.stats();
    expect(stats).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it("replaces an entry stored twice, deletes one key and clears everything", async () => {
    const cache = await open();
    await cache.set("k", answer("old"), 60_000);
    await cache.set("k", answer("new"), 60_000);
    expect((await cache.get("k"))?.result.text).toBe("new");
    await cache.set("j", answer("j"), 60_000);
    await cache.delete("j");
    expect(await cache.get("j")).toBeUndefined();
    expect(await cache.clear()).toBe(1);
    expect((await cache.stats()).entries).toBe(0);
  });
});
