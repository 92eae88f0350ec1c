import type BetterSqlite3 from "better-sqlite3";
import { toStoreError } from "./store-errors";

/**
 * Group commit: writes asked for in the same turn of the event loop share one `BEGIN IMMEDIATE …
 * COMMIT`. A commit appends every page it changed to the write-ahead log, and the jobs, events and
 * index pages that fifty job creations (or runner steps) change are mostly the same few pages, so
 * one commit for all of them costs little more than one for each.
 *
 * Each write still stands or falls alone: when one throws, the transaction is rolled back and the
 * batch runs again with each write inside a savepoint, so the one that throws is rolled back to its
 * savepoint and rejected with its own error while the others commit. Each promise
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

/** Marks a write that threw in `values` (its error is in `errors` at the same index). */
const failed: unique symbol = Symbol("failed");

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

  /**
   * Runs the batch's writes in the open transaction. Without savepoints, the first write that throws
   * stops the pass and returns false: the caller rolls everything back and runs the batch again with
   * a savepoint around each write. Writes are synchronous statements over the database only, so a
   * second pass over rolled-back state does what the first one would have. With savepoints (or a
   * single write), returns false only when the transaction itself is gone.
   */
  const runWrites = (batch: readonly Unit[], values: unknown[], errors: unknown[], savepoints: boolean): boolean => {
    for (const unit of batch) {
      try {
        if (savepoints) savepoint.run();
        const value = unit.work();
        if (savepoints) release.run();
        values.push(value);
        errors.push(undefined);
      } catch (error) {
        if (!savepoints) {
          errors.push(error);
          return false;
        }
        // SQLite ended the whole transaction (disk full, I/O error): none of the batch happened.
        if (!raw.inTransaction) return (errors.push(error), false);
        rollbackTo.run();
        release.run();
        values.push(failed);
        errors.push(error);
      }
    }
    return true;
  };

  /** One transaction over the oldest pending writes; must run with no other transaction open on the connection. */
  const runBatch = (): void => {
    const batch = pending.splice(0, maxBatch);
    if (pending.length > 0) schedule();
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const errors: unknown[] = [];
    try {
      begin.run();
      // Most batches have no failing write: savepoints (two statements per write) only when one throws.
      if (!runWrites(batch, values, errors, false)) {
        const error = errors[errors.length - 1];
        if (batch.length === 1 || !raw.inTransaction) return failAll(batch, error);
        rollback.run();
        values.length = 0;
        errors.length = 0;
        begin.run();
        if (!runWrites(batch, values, errors, true)) return failAll(batch, errors[errors.length - 1]);
      }
      commit.run();
    } catch (error) {
      return failAll(batch, error);
    }
    for (let index = 0; index < batch.length; index += 1) {
      const unit = batch[index] as Unit;
      const value = values[index];
      if (value === failed) unit.reject(toStoreError(errors[index]));
      else unit.resolve(value);
    }
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
