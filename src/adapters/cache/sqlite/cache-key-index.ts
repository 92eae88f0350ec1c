import type BetterSqlite3 from "better-sqlite3";

/**
 * The keys of `cache_entries`, in memory, so a miss — every new question — is answered without
 * reading the table. It is a superset of the table's keys while `PRAGMA data_version` is unchanged:
 * that number changes only when ANOTHER connection (another process, or another connection of this
 * one) commits, and this connection adds every key it stores. When it changed, the index is dropped
 * and the table answers until it is rebuilt. Entries evicted or expired stay in the index (a lookup
 * then reads the table and misses): a superset can only cost a read, never a wrong answer.
 *
 * Built only after `buildAfter` lookups without another connection's commit: reading every key
 * (about 1 ms for 5,000) is worth it for a long-lived process, not for a CLI run that asks once.
 */
export interface CacheKeyIndex {
  /** False only when the key is certainly not in the table; true: read the table. */
  mayHold(key: string): boolean;
  /** This connection stored (or is storing) the key. */
  add(key: string): void;
}

export function createCacheKeyIndex(raw: BetterSqlite3.Database, options: { buildAfter: number; maxKeys: number }): CacheKeyIndex {
  const dataVersion = raw.prepare<[], number>("pragma data_version").pluck();
  const allKeys = raw.prepare<[], string>("select key from cache_entries").pluck();
  let keys: Set<string> | undefined;
  let version: number | undefined;
  let lookups = 0;

  const build = () => {
    // The version first: a commit between the two reads changes it, and the next lookup rebuilds.
    version = dataVersion.get();
    keys = new Set(allKeys.all());
  };

  return {
    mayHold(key) {
      if (keys === undefined) {
        lookups += 1;
        if (lookups < options.buildAfter) return true;
        build();
      } else if (dataVersion.get() !== version) {
        keys = undefined;
        lookups = 1;
        return true;
      }
      return (keys as Set<string>).has(key);
    },
    add(key) {
      if (keys === undefined) return;
      keys.add(key);
      // Evicted keys accumulate: past twice the table's bound, start over from the table.
      if (keys.size > options.maxKeys) {
        keys = undefined;
        lookups = options.buildAfter - 1;
      }
    },
  };
}
