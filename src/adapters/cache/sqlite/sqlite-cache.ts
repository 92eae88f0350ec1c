import type BetterSqlite3 from "better-sqlite3";
import type { CacheEntriesTable } from "../../store/sqlite/database";
import type { CachedAnswer, CachePort, CacheStats } from "../../../core/ports/cache-port";

export interface SqliteCacheOptions {
  /** Least recently used entries are evicted past this many. */
  maxEntries: number;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
}

const hitsCounter = "cache_hits";
const missesCounter = "cache_misses";

/**
 * The response cache over the `cache_entries` table. Hit/miss counters live in `counters`, so every
 * CLI run and the daemon add up. Statements are synchronous and each operation is one transaction:
 * a lookup costs well under a millisecond and two processes never see half an eviction.
 */
export function createSqliteCache(raw: BetterSqlite3.Database, options: SqliteCacheOptions): CachePort {
  const now = options.now ?? Date.now;
  const select = raw.prepare<[string], Pick<CacheEntriesTable, "value_json" | "expires_at">>("select value_json, expires_at from cache_entries where key = ?");
  const touch = raw.prepare<[number, string]>("update cache_entries set last_access_at = ?, hits = hits + 1 where key = ?");
  const remove = raw.prepare<[string]>("delete from cache_entries where key = ?");
  const bump = raw.prepare<[string]>("insert into counters (name, value) values (?, 1) on conflict(name) do update set value = value + 1");
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

  const get = raw.transaction((key: string): CachedAnswer | undefined => {
    const at = now();
    const row = select.get(key);
    if (row !== undefined && row.expires_at > at) {
      try {
        const answer = JSON.parse(row.value_json) as CachedAnswer;
        touch.run(at, key);
        bump.run(hitsCounter);
        return answer;
      } catch {
        // An unreadable entry is a miss, and goes.
      }
    }
    if (row !== undefined) remove.run(key);
    bump.run(missesCounter);
    return undefined;
  });

  const set = raw.transaction((key: string, answer: CachedAnswer, ttlMs: number) => {
    const at = now();
    const json = JSON.stringify(answer);
    upsert.run(key, json, Buffer.byteLength(json), at, at + ttlMs, at);
    dropExpired.run(at);
    const excess = (count.get()?.n ?? 0) - options.maxEntries;
    if (excess > 0) evict.run(excess);
  });

  return {
    get: async (key) => get(key),
    set: async (key, answer, ttlMs) => set(key, answer, ttlMs),
    delete: async (key) => void remove.run(key),
    clear: async () => clearAll.run().changes,
    async stats(): Promise<CacheStats> {
      const size = sizes.get();
      return {
        hits: counter.get(hitsCounter)?.value ?? 0,
        misses: counter.get(missesCounter)?.value ?? 0,
        entries: size?.entries ?? 0,
        bytes: size?.bytes ?? 0,
      };
    },
  };
}
