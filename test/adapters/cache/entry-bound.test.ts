import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEntryBound } from "../../../src/adapters/cache/sqlite/entry-bound";
import { createSqliteCache } from "../../../src/adapters/cache/sqlite/sqlite-cache";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import type { CachedAnswer } from "../../../src/core/ports/cache-port";

const answer = (text: string): CachedAnswer => ({ result: { text, provider: "openai", model: "m" } });

describe("cache entry bound", () => {
  it("counts the table only past the bound or after another connection's commit, and evicts a batch of 1 % at once", () => {
    let rows = 0;
    let version = 1;
    const calls = { count: 0, evicted: [] as number[] };
    const bound = createEntryBound({
      maxEntries: 500,
      count: () => (calls.count += 1, rows),
      evict: (n) => (calls.evicted.push(n), (rows -= n), n),
      dataVersion: () => version,
    });
    for (let i = 0; i < 500; i += 1) {
      rows += 1;
      bound.stored();
      bound.keep();
    }
    expect(calls).toEqual({ count: 1, evicted: [] });
    rows += 1;
    bound.stored();
    bound.keep();
    expect(calls.evicted).toEqual([6]); // one past the bound, plus 5 of slack
    expect(rows).toBe(495);
    for (let i = 0; i < 5; i += 1) {
      rows += 1;
      bound.stored();
      bound.keep();
    }
    expect(calls).toEqual({ count: 2, evicted: [6] });
    rows += 40; // another process stored 40 answers
    version += 1;
    bound.keep();
    expect(calls.count).toBe(3);
    expect(calls.evicted).toEqual([6, 45]);
    expect(rows).toBe(495);
  });

  describe("in the SQLite cache", () => {
    let dir: string;
    let handles: SqliteHandle[];
    let clock: number;
    const open = async (maxEntries: number) => {
      const handle = await openSqliteDatabase(join(dir, "grompt.db"));
      handles.push(handle);
      return { cache: createSqliteCache(handle.raw, { maxEntries, now: () => clock }), handle };
    };
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "grompt-bound-"));
      handles = [];
      clock = 1_000_000;
    });
    afterEach(async () => {
      for (const handle of handles) await handle.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("never holds more than maxEntries, two connections storing, and evicts the least recently used", async () => {
      const first = await open(200);
      const second = await open(200);
      const rowsIn = () => (first.handle.raw.prepare("select count(*) as n from cache_entries").get() as { n: number }).n;
      for (let i = 0; i < 600; i += 1) {
        clock += 1;
        await (i % 3 === 0 ? second : first).cache.set(`k${i}`, answer(`a${i}`), 3_600_000);
        expect(rowsIn()).toBeLessThanOrEqual(200);
      }
      expect(rowsIn()).toBeGreaterThanOrEqual(198);
      expect(await first.cache.get("k599")).toBeDefined();
      expect(await first.cache.get("k1")).toBeUndefined();
    });
  });
});
