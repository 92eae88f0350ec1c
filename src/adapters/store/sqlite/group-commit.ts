import type BetterSqlite3 from "better-sqlite3";
import { toStoreError } from "./store-errors";

/**
 * Group commit: writes asked for in the same turn of the event loop share one `BEGIN IMMEDIATE …
 * COMMIT`. A commit appends every page it changed to the write-ahead log, and the jobs, events and
 * index pages that fifty job creations (or runner steps) change are mostly the same few pages, so
 * one commit for all of them costs little more than one for each.
 *
 * Each write still stands or falls alone: it runs inside a savepoint, and one that throws is rolled
 * back to its savepoint and rejected with its own error while the others commit. Each promise
 * settles only after the transaction holding its write committed (or failed: then every write of
 * that transaction is rejected and none of them happened) — the same durability a write alone had.
 * Writes run in the order they were asked for.
 */
export interface GroupCommit {
  /** Runs `work` (synchronous statements) in the next group transaction; resolves with its value once that transaction committed. */
  write<T>(work: () => T): Promise<T>;
  /** Resolves once every write asked for so far has settled. */
  settle(): Promise<void>;
}

export interface GroupCommitOptions {
  /**
   * Runs `work` while holding the connection's mutex (kysely's), for when a transaction of kysely's
   * own is open on the connection and the group has to wait for it to end.
   */
  hold(work: () => void): Promise<void>;
  /** Writes in one transaction at most; the rest go into the next one (default 256). */
  maxBatch?: number;
}

interface Unit {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createGroupCommit(raw: BetterSqlite3.Database, options: GroupCommitOptions): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  const begin = raw.prepare("begin immediate");
  const commit = raw.prepare("commit");
  const rollback = raw.prepare("rollback");
  const savepoint = raw.prepare("savepoint grompt_write");
  const release = raw.prepare("release grompt_write");
  const rollbackTo = raw.prepare("rollback to grompt_write");
  const pending: Unit[] = [];
  let scheduled = false;

  const failAll = (units: readonly Unit[], error: unknown) => {
    if (raw.inTransaction) {
      try {
        rollback.run();
      } catch {
        // Rolled back already (SQLite ends a transaction by itself after some failures).
      }
    }
    const failure = toStoreError(error);
    for (const unit of units) unit.reject(failure);
  };

  /** One transaction over the oldest pending writes; must run with no other transaction open on the connection. */
  const runBatch = (): void => {
    const batch = pending.splice(0, maxBatch);
    if (pending.length > 0) schedule();
    if (batch.length === 0) return;
    const single = batch.length === 1;
    const outcomes: Outcome[] = [];
    try {
      begin.run();
    } catch (error) {
      return failAll(batch, error);
    }
    for (const unit of batch) {
      try {
        if (!single) savepoint.run();
        const value = unit.work();
        if (!single) release.run();
        outcomes.push({ ok: true, value });
      } catch (error) {
        // SQLite ended the whole transaction (disk full, I/O error): none of the batch happened.
        if (single || !raw.inTransaction) return failAll(batch, error);
        try {
          rollbackTo.run();
          release.run();
        } catch (undoError) {
          return failAll(batch, undoError);
        }
        outcomes.push({ ok: false, error });
      }
    }
    try {
      commit.run();
    } catch (error) {
      return failAll(batch, error);
    }
    batch.forEach((unit, index) => {
      const outcome = outcomes[index] as Outcome;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(toStoreError(outcome.error));
    });
  };

  const run = (): void => {
    scheduled = false;
    // A transaction of kysely's is open on the connection (it awaits between its statements): wait for its end.
    if (raw.inTransaction) {
      options.hold(runBatch).catch((error: unknown) => failAll(pending.splice(0), error));
      return;
    }
    runBatch();
  };

  // After the poll phase: every request read in this turn of the loop has asked for its write by then.
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(run);
  }

  return {
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    settle(): Promise<void> {
      if (pending.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        pending.push({ work: () => undefined, resolve: () => resolve(), reject: () => resolve() });
        schedule();
      });
    },
  };
}
