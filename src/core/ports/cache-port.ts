import type { GenResult } from "./provider-port";

/** A cached provider answer; streams keep their chunks so a hit replays them. */
export interface CachedAnswer {
  result: GenResult;
  chunks?: string[];
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export interface CachePort {
  /** The live entry for the key (touching it for LRU), or undefined. Counts a hit or a miss. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /**
   * `get` without a promise, for adapters that can answer synchronously: `{ answer }` (undefined on
   * a miss, counted like `get`), or undefined when this one cannot answer now (use `get`).
   */
  getNow?(key: string): { answer: CachedAnswer | undefined } | undefined;
  /** Stores an answer with a time to live; evicts the least recently used past the size bound. */
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
  /** Removes one key. */
  delete(key: string): Promise<void>;
  /** Removes everything; returns how many entries were dropped. */
  clear(): Promise<number>;
  /** Hit/miss counters and size. */
  stats(): Promise<CacheStats>;
  /**
   * Writes now whatever an adapter deferred (stored answers, recency, counts). Adapters that write
   * at once need none; the owner of one that defers calls it before closing what it writes to.
   */
  flush?(): Promise<void>;
}
