import type BetterSqlite3 from "better-sqlite3";
import type { CacheEntriesTable } from "../../store/sqlite/database";
import type { CachedAnswer, CachePort, CacheStats } from "../../../core/ports/cache-port";
import { createCacheKeyIndex } from "./cache-key-index";
import { createEntryBound } from "./entry-bound";
import { dropTurnEndFlush, flushAtTurnEnd } from "../../store/sqlite/turn-end-writes";
import { type CacheWriteBatch, type DeferredCacheWrites, createDeferredCacheWrites } from "./deferred-cache-writes";

export interface SqliteCacheOptions {
  /** Least recently used entries are evicted past this many. */
  maxEntries: number;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
  /**
   * Write after the current event-loop turn instead of at once: stored answers, recency and the
   * hit/miss counts go to the database together, in one transaction, so a provider call hands its
   * answer back without waiting for them. This connection reads its own pending writes at once;
   * others see them after the flush (or `flush()`). A crash before the flush loses only those
   * entries and counts — a cache, not a record.
   */
  deferWrites?: boolean;
  /** A deferred flush failed (the answers it held are not cached). */
  onDeferredError?: (error: unknown) => void;
  /**
   * Answer misses from an in-memory index of the keys after this many lookups (see
   * cache-key-index.ts); default 256. `Infinity` never builds it.
   */
  keyIndexAfter?: number;
}

const hitsCounter = "cache_hits";
const missesCounter = "cache_misses";

/**
 * The response cache over the `cache_entries` table. Hit/miss counters live in `counters`, so every
 * CLI run and the daemon add up. Statements are synchronous and each write is one transaction:
 * a lookup costs well under a millisecond and two processes never see half an eviction.
 */
export function createSqliteCache(raw: BetterSqlite3.Database, options: SqliteCacheOptions): CachePort {
  const now = options.now ?? Date.now;
  const select = raw.prepare<[string], Pick<CacheEntriesTable, "value_json" | "expires_at">>("select value_json, expires_at from cache_entries where key = ?");
  const touch = raw.prepare<[number, number, string]>("update cache_entries set last_access_at = ?, hits = hits + ? where key = ?");
  const remove = raw.prepare<[string]>("delete from cache_entries where key = ?");
  const bump = raw.prepare<[string, number, number]>("insert into counters (name, value) values (?, ?) on conflict(name) do update set value = value + ?");
  const upsert = raw.prepare<[string, string, number, number, number, number]>(
    `insert into cache_entries (key, value_json, bytes, created_at, expires_at, last_access_at, hits) values (?, ?, ?, ?, ?, ?, 0)
     on conflict(key) do update set value_json = excluded.value_json, bytes = excluded.bytes, created_at = excluded.created_at,
       expires_at = excluded.expires_at, last_access_at = excluded.last_access_at`,
  );
  const dropExpired = raw.prepare<[number]>("delete from cache_entries where expires_at <= ?");
  const count = raw.prepare<[], { n: number }>("select count(*) as n from cache_entries");
  const evict = raw.prepare<[number]>(
    "delete from cache_entries where key in (select key from cache_entries order by last_access_at asc, rowid asc limit ?)",
  );
  const sizes = raw.prepare<[], { entries: number; bytes: number | null }>("select count(*) as entries, sum(bytes) as bytes from cache_entries");
  const counter = raw.prepare<[string], { value: number }>("select value from counters where name = ?");
  const clearAll = raw.prepare("delete from cache_entries");
  const index = createCacheKeyIndex(raw, { buildAfter: options.keyIndexAfter ?? 256, maxKeys: 2 * options.maxEntries });
  const dataVersion = raw.prepare<[], number>("pragma data_version").pluck();
  const bound = createEntryBound({ maxEntries: options.maxEntries, count: () => count.get()?.n ?? 0, evict: (n) => evict.run(n).changes, dataVersion: () => dataVersion.get() ?? 0 });

  const countLookups = (hits: number, misses: number) => {
    if (hits > 0) bump.run(hitsCounter, hits, hits);
    if (misses > 0) bump.run(missesCounter, misses, misses);
  };
  const store = (key: string, json: string, at: number, ttlMs: number) => {
    upsert.run(key, json, Buffer.byteLength(json), at, at + ttlMs, at);
    index.add(key);
    bound.stored();
  };
  /** Expired entries go first, then the least recently used past the bound (see entry-bound.ts). */
  const keepBound = (at: number) => {
    bound.removed(dropExpired.run(at).changes);
    bound.keep();
  };
  /** The live entry, or undefined; an expired or unreadable one is removed. */
  const read = (key: string, at: number): CachedAnswer | undefined => {
    if (!index.mayHold(key)) return undefined;
    const row = select.get(key);
    if (row === undefined) return undefined;
    if (row.expires_at > at) {
      try {
        return JSON.parse(row.value_json) as CachedAnswer;
      } catch {
        // An unreadable entry is a miss, and goes.
      }
    }
    remove.run(key);
    return undefined;
  };

  const readStats = (): CacheStats => {
    const size = sizes.get();
    return {
      hits: counter.get(hitsCounter)?.value ?? 0,
      misses: counter.get(missesCounter)?.value ?? 0,
      entries: size?.entries ?? 0,
      bytes: size?.bytes ?? 0,
    };
  };

  const deferred: DeferredCacheWrites | undefined = options.deferWrites
    ? createDeferredCacheWrites({
        now,
        apply: raw.transaction((batch: CacheWriteBatch) => {
          for (const [key, entry] of batch.answers) store(key, entry.json, entry.at, entry.ttlMs);
          for (const [key, recency] of batch.touched) touch.run(recency.at, recency.hits, key);
          countLookups(batch.hits, batch.misses);
          keepBound(batch.at);
        }),
        isOpen: () => raw.open,
        onError: options.onDeferredError,
        turnEnd: { schedule: (flush) => flushAtTurnEnd(raw, flush), drop: (flush) => dropTurnEndFlush(raw, flush) },
      })
    : undefined;

  const get = raw.transaction((key: string): CachedAnswer | undefined => {
    const at = now();
    const answer = read(key, at);
    if (answer !== undefined) touch.run(at, 1, key);
    countLookups(answer === undefined ? 0 : 1, answer === undefined ? 1 : 0);
    return answer;
  });

  const set = raw.transaction((key: string, answer: CachedAnswer, ttlMs: number) => {
    const at = now();
    store(key, JSON.stringify(answer), at, ttlMs);
    keepBound(at);
  });

  if (deferred !== undefined) {
    const lookup = (key: string): CachedAnswer | undefined => {
      const at = now();
      const answer = deferred.pending(key, at) ?? read(key, at);
      deferred.looked(key, at, answer !== undefined);
      return answer;
    };
    return {
      get: async (key) => lookup(key),
      getNow: (key) => ({ answer: lookup(key) }),
      set: async (key, answer, ttlMs) => deferred.store(key, answer, ttlMs),
      delete: async (key) => {
        deferred.flush();
        bound.removed(remove.run(key).changes);
      },
      clear: async () => {
        deferred.flush();
        return clearAll.run().changes;
      },
      stats: async () => {
        deferred.flush();
        return readStats();
      },
      flush: async () => deferred.flush(),
    };
  }

  return {
    get: async (key) => get(key),
    getNow: (key) => ({ answer: get(key) }),
    set: async (key, answer, ttlMs) => set(key, answer, ttlMs),
    delete: async (key) => void remove.run(key),
    clear: async () => clearAll.run().changes,
    stats: async () => readStats(),
  };
}
