import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import type { CachedAnswer } from "../../../src/core/ports/cache-port";

const answer = (text: string): CachedAnswer => ({ result: { text, provider: "openai", model: "m" } });
const week = 7 * 86_400_000;

/** Writes a row into cache_entries with plain SQL on the given connection, past the cache's own code. */
const rawInsert = (handle: SqliteHandle, key: string, text: string) =>
  handle.raw
    .prepare("insert into cache_entries (key, value_json, bytes, created_at, expires_at, last_access_at) values (?, ?, 1, ?, ?, ?)")
    .run(key, JSON.stringify(answer(text)), Date.now(), Date.now() + week, Date.now());

describe("the response cache's in-memory key index", () => {
  let dir: string;
  let handles: SqliteHandle[];
  const open = async () => {
    const handle = await openSqliteDatabase(join(dir, "grompt.db"));
    handles.push(handle);
    return handle;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grompt-cache-index-"));
    handles = [];
  });
  afterEach(async () => {
    for (const handle of handles) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const deferWrites of [true, false]) {
    describe(deferWrites ? "deferred writes" : "immediate writes", () => {
      it("answers a miss from memory once built: a row this connection wrote past the cache is not seen", async () => {
        const handle = await open();
        const cache = createSqliteCache(handle.raw, { maxEntries: 100, deferWrites, keyIndexAfter: 1 });
        expect(await cache.get("a")).toBeUndefined();
        rawInsert(handle, "behind-its-back", "x");
        // Same connection: data_version does not move, and the index (built) says the key is absent.
        expect(await cache.get("behind-its-back")).toBeUndefined();
        // Without the index the table is read on every lookup.
        const plain = createSqliteCache(handle.raw, { maxEntries: 100, deferWrites, keyIndexAfter: Number.POSITIVE_INFINITY });
        expect(await plain.get("behind-its-back")).toEqual(answer("x"));
      });

      it("serves what it stored itself, before and after the write reaches the table", async () => {
        const handle = await open();
        const cache = createSqliteCache(handle.raw, { maxEntries: 100, deferWrites, keyIndexAfter: 1 });
        expect(await cache.get("warm")).toBeUndefined();
        await cache.set("mine", answer("stored here"), week);
        expect(await cache.get("mine")).toEqual(answer("stored here"));
        await cache.flush?.();
        expect(await cache.get("mine")).toEqual(answer("stored here"));
      });

      it("turns another connection's store into a hit here (data_version moved: the table answers, then the index is rebuilt)", async () => {
        const here = await open();
        const other = await open();
        const cache = createSqliteCache(here.raw, { maxEntries: 100, deferWrites, keyIndexAfter: 1 });
        expect(await cache.get("shared")).toBeUndefined();
        rawInsert(other, "shared", "from elsewhere");
        expect(await cache.get("shared")).toEqual(answer("from elsewhere"));
        // Rebuilt after the change, with the other connection's key in it.
        expect(await cache.get("shared")).toEqual(answer("from elsewhere"));
        const otherCache = createSqliteCache(other.raw, { maxEntries: 100 });
        await otherCache.set("later", answer("later"), week);
        expect(await cache.get("later")).toEqual(answer("later"));
      });
    });
  }

  it("turns another process's store into a hit here", async () => {
    const here = await open();
    const cache = createSqliteCache(here.raw, { maxEntries: 100, deferWrites: true, keyIndexAfter: 1 });
    expect(await cache.get("from-a-process")).toBeUndefined();
    const script = `
      const Database = require("better-sqlite3");
      const db = new Database(process.argv[1]);
      db.pragma("busy_timeout = 5000");
      const now = Date.now();
      db.prepare("insert into cache_entries (key, value_json, bytes, created_at, expires_at, last_access_at) values (?, ?, 1, ?, ?, ?)")
        .run("from-a-process", JSON.stringify({ result: { text: "child", provider: "openai", model: "m" } }), now, now + 86400000, now);
      db.close();`;
    const child = spawnSync(process.execPath, ["-e", script, here.path], { cwd: process.cwd(), encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    expect(await cache.get("from-a-process")).toEqual(answer("child"));
  });

  it("never answers a miss as a hit: evicted and expired keys left in the index read the table and miss", async () => {
    const handle = await open();
    let clock = 1_000_000;
    const cache = createSqliteCache(handle.raw, { maxEntries: 2, keyIndexAfter: 1, now: () => clock });
    expect(await cache.get("warm")).toBeUndefined();
    await cache.set("a", answer("a"), 1_000);
    await cache.set("b", answer("b"), week);
    await cache.set("c", answer("c"), week);
    clock += 1_000;
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toEqual(answer("b"));
    expect(await cache.get("c")).toEqual(answer("c"));
  });
});
