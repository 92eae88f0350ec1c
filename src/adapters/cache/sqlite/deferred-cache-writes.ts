import type { CachedAnswer } from "../../../core/ports/cache-port";
import { flushOnExit, forgetOnExit } from "../../store/sqlite/flush-on-exit";
import type { TurnFlush } from "../../store/sqlite/turn-end-writes";

/** Everything one connection's cache wrote since the last flush, applied in one transaction. */
export interface CacheWriteBatch {
  /** When the batch is applied: expired entries are swept and the bound kept as of then. */
  at: number;
  /** Answers as JSON, serialized when stored: what the caller does with its object later does not leak in. */
  answers: Map<string, { json: string; at: number; ttlMs: number }>;
  /** Entries read since: their latest access and how many hits. */
  touched: Map<string, { at: number; hits: number }>;
  hits: number;
  misses: number;
}

export interface DeferredCacheWrites {
  /** A live answer stored but not written yet (a copy, as a read from the table would be), or undefined. */
  pending(key: string, at: number): CachedAnswer | undefined;
  /** Counts a lookup; a hit also refreshes its entry's recency. A miss alone schedules no flush. */
  looked(key: string, at: number, hit: boolean): void;
  store(key: string, answer: CachedAnswer, ttlMs: number): void;
  /** Writes what is pending now (before a read of the table that must see it, or a close). */
  flush(): void;
}

export interface DeferredCacheDeps {
  now: () => number;
  apply: (batch: CacheWriteBatch) => void;
  isOpen: () => boolean;
  onError?: (error: unknown) => void;
  /**
   * Runs the flush after the current turn together with the connection's other write-behind queues,
   * in one transaction, once no other transaction holds the connection (turn-end-writes.ts).
   */
  turnEnd: { schedule: (flush: TurnFlush) => void; drop: (flush: TurnFlush) => void };
}

/**
 * The write-behind half of the SQLite cache: writes queue in memory and go to the database after
 * the current event-loop turn, many calls' writes in one transaction when they finish together. A close flushes first (the container closes the cache before the database);
 * so does a process exit that skips the close.
 */
export function createDeferredCacheWrites(deps: DeferredCacheDeps): DeferredCacheWrites {
  let batch = emptyBatch();
  let inTurn = false;

  /** Writes the batch; on success, what to do should an enclosing transaction fail to commit. */
  const write = (): ((error: unknown) => void) | undefined => {
    inTurn = false;
    forgetOnExit(flush);
    const writes = batch;
    batch = emptyBatch();
    if (writes.answers.size === 0 && writes.touched.size === 0 && writes.hits === 0 && writes.misses === 0) return undefined;
    try {
      if (!deps.isOpen()) throw new Error(`the database closed before ${writes.answers.size} cached answers were written`);
      writes.at = deps.now();
      deps.apply(writes);
      return deps.onError;
    } catch (error) {
      deps.onError?.(error);
      return undefined;
    }
  };
  const flush = () => {
    if (inTurn) deps.turnEnd.drop(write);
    write();
  };
  /** Something is pending: a close or an exit writes it, whatever happens next. */
  const hold = () => flushOnExit(flush);
  const schedule = () => {
    if (inTurn) return;
    inTurn = true;
    deps.turnEnd.schedule(write);
    hold();
  };

  return {
    pending(key, at) {
      const entry = batch.answers.get(key);
      if (entry === undefined || entry.at + entry.ttlMs <= at) return undefined;
      return JSON.parse(entry.json) as CachedAnswer;
    },
    looked(key, at, hit) {
      if (hit) {
        const touched = batch.touched.get(key);
        batch.touched.set(key, { at, hits: (touched?.hits ?? 0) + 1 });
        batch.hits += 1;
        schedule();
      } else {
        // A miss is followed by a call to the vendor: a flush now would run while the answer is on
        // its way and hold it up. The count rides with the next flush — the answer's store, as a
        // rule — or the close, or the exit.
        batch.misses += 1;
        hold();
      }
    },
    store(key, answer, ttlMs) {
      batch.answers.set(key, { json: JSON.stringify(answer), at: deps.now(), ttlMs });
      schedule();
    },
    flush,
  };
}

const emptyBatch = (): CacheWriteBatch => ({ at: 0, answers: new Map(), touched: new Map(), hits: 0, misses: 0 });
