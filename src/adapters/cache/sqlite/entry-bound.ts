/**
 * Keeps `cache_entries` at or below its bound without counting the table on every store. Counting
 * (`count(*)`, a walk of an index: tens of microseconds at 5,000 entries) and evicting one entry per
 * stored answer made each full-cache miss pay both. Instead the bound keeps an upper estimate of the
 * entries: exact after a count, plus one per store, minus what this connection removed. The table is
 * counted only when the estimate passes the bound, or after ANOTHER connection committed (`PRAGMA
 * data_version` changed: it may have added entries). Past the bound, the least recently used go in
 * one batch, down to `maxEntries − slack` (1 % of the bound), so the next count and eviction come
 * `slack` stores later. The table never holds more than `maxEntries` after a store's transaction.
 */
export interface EntryBound {
  /** An answer was stored (a new entry, or a key written again: either way at most one more). */
  stored(): void;
  /** This connection deleted `changes` entries. */
  removed(changes: number): void;
  /** Evicts the least recently used when the table is past the bound. */
  keep(): void;
}

export interface EntryBoundDeps {
  maxEntries: number;
  count: () => number;
  /** Deletes the `n` least recently used entries; returns how many went. */
  evict: (n: number) => number;
  /** `PRAGMA data_version`: changes only when another connection commits. */
  dataVersion: () => number;
}

export function createEntryBound(deps: EntryBoundDeps): EntryBound {
  const slack = Math.floor(deps.maxEntries / 100);
  let estimate: number | undefined;
  let version: number | undefined;

  return {
    stored() {
      if (estimate !== undefined) estimate += 1;
    },
    removed(changes) {
      if (estimate !== undefined) estimate = Math.max(0, estimate - changes);
    },
    keep() {
      const current = deps.dataVersion();
      if (current !== version) estimate = undefined;
      version = current;
      if (estimate !== undefined && estimate <= deps.maxEntries) return;
      const entries = deps.count();
      estimate = entries > deps.maxEntries ? entries - deps.evict(entries - deps.maxEntries + slack) : entries;
    },
  };
}
