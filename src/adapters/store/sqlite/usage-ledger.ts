import type { UsageEntry, UsageLimitCheck, UsageLimitVerdict } from "../../../core/ports/store-port";
import type { SqliteHandle } from "./open-database";
import { prepareLimitCheck } from "./reserve-usage";
import { toStoreError } from "./store-errors";
import { flushOnExit, forgetOnExit } from "./flush-on-exit";
import { dropTurnEndFlush, flushAtTurnEnd } from "./turn-end-writes";

/**
 * The usage ledger's writes, prepared once: every provider call settles here before its answer is
 * handed back, so each write is one synchronous better-sqlite3 statement (a few microseconds)
 * instead of a query built, compiled and awaited through kysely (tens of microseconds). Quota
 * checks and reservations stay in `reserve-usage.ts` (one BEGIN IMMEDIATE transaction).
 */
export interface UsageLedger {
  record(entry: UsageEntry): Promise<void>;
  release(callId: string): Promise<void>;
  /** Records the settled entry and drops the call's reservation in one transaction. */
  settle(entry: UsageEntry): Promise<void>;
  /**
   * The same writes, made after the current event-loop turn: queued in order and applied together,
   * in one transaction with the connection's other write-behind queues (see `UsageWriteBehind`).
   */
  later(options?: WriteBehindOptions): UsageWriteBehind;
}

/**
 * The ledger's write-behind queue, for writes that need not hold up an answer: a provider call hands
 * its answer back and its settled entry is written in the next event-loop turn, with every other
 * call's of that turn, in one transaction. What it can lose is the queue of one turn, and only to a
 * process killed outright (SIGKILL, power loss) in that turn: a close flushes it, and so does a
 * process exit that skips the close. A reserved call keeps its reservation until its settlement is
 * written, so the limits count it meanwhile — by its estimate, which the caller makes sure is not
 * below what it spent (or flushes at once).
 */
export interface UsageWriteBehind {
  record(entry: UsageEntry): void;
  settle(entry: UsageEntry): void;
  release(callId: string): void;
  /** Writes what is queued now; waits for the connection when another transaction holds it. */
  flush(): Promise<void>;
  /**
   * Checks the usage limits and takes the reservation (StorePort.reserveUsage), in one BEGIN
   * IMMEDIATE transaction that first writes what is queued — so the limits count every settlement
   * of this process — with prepared statements and no await once the connection is free.
   */
  reserve(check: UsageLimitCheck, reservation?: UsageEntry): UsageLimitVerdict | Promise<UsageLimitVerdict>;
  /** Entries queued and not written yet. */
  readonly pending: number;
}

export interface WriteBehindOptions {
  /** A deferred write failed: the entries it held (their call ids) are not in the ledger. */
  onError?: (error: unknown, callIds: string[]) => void;
}

type WriteKind = "record" | "settle" | "release";

/** The queue as two parallel lists — what to do, and the entry (or the call id to release) — so queueing allocates nothing per call. */
interface LedgerWrites {
  kinds: WriteKind[];
  items: (UsageEntry | string)[];
}

type Row = [string, string, string | null, string, string, string, number, number, number, number | null, number, string];

export function createUsageLedger(handle: SqliteHandle): UsageLedger {
  const { raw } = handle;
  const upsert = raw.prepare<Row>(
    `insert into usage_ledger (call_id, status, job_id, scope, provider, model, prompt_tokens, completion_tokens, total_tokens, cost_micros, cached, ts)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict(call_id, status) do update set job_id = excluded.job_id, scope = excluded.scope, provider = excluded.provider,
       model = excluded.model, prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
       total_tokens = excluded.total_tokens, cost_micros = excluded.cost_micros, cached = excluded.cached, ts = excluded.ts`,
  );
  const dropReservation = raw.prepare<[string]>("delete from usage_ledger where call_id = ? and status = 'reserved'");
  const write = (entry: UsageEntry) => void upsert.run(...rowOf(entry));
  const settle = raw.transaction((entry: UsageEntry) => {
    write(entry);
    dropReservation.run(entry.callId);
  });

  const writeInOrder = (writes: LedgerWrites) => {
    for (let i = 0; i < writes.kinds.length; i += 1) {
      const item = writes.items[i] as UsageEntry | string;
      if (typeof item === "string") dropReservation.run(item);
      else {
        write(item);
        if (writes.kinds[i] === "settle") dropReservation.run(item.callId);
      }
    }
  };
  const applyInOrder = raw.transaction(writeInOrder);
  const checkLimits = prepareLimitCheck(raw);
  const reserveAfter = raw.transaction((writes: LedgerWrites, check: UsageLimitCheck, reservation?: UsageEntry): UsageLimitVerdict => {
    writeInOrder(writes);
    const verdict = checkLimits(check, reservation);
    if (verdict.ok && reservation !== undefined) write({ ...reservation, status: "reserved" });
    return verdict;
  });

  return {
    record: (entry) => onFreeConnection(handle, () => write(entry)),
    release: (callId) => onFreeConnection(handle, () => void dropReservation.run(callId)),
    settle: (entry) => onFreeConnection(handle, () => settle(entry)),
    later: (options = {}) => writeBehind(handle, { apply: applyInOrder, reserve: (writes, check, reservation) => reserveAfter.immediate(writes, check, reservation) }, options),
  };
}

interface LedgerTransactions {
  apply: (writes: LedgerWrites) => void;
  reserve: (writes: LedgerWrites, check: UsageLimitCheck, reservation?: UsageEntry) => UsageLimitVerdict;
}

function writeBehind(handle: SqliteHandle, transactions: LedgerTransactions, options: WriteBehindOptions): UsageWriteBehind {
  const { apply } = transactions;
  let queue: LedgerWrites = { kinds: [], items: [] };
  let scheduled = false;

  /** Writes the queue; on success, what to do should the turn's enclosing transaction fail to commit. */
  const write = (): ((error: unknown) => void) | undefined => {
    scheduled = false;
    forgetOnExit(applyNow);
    const writes = queue;
    if (writes.kinds.length === 0) return undefined;
    queue = { kinds: [], items: [] };
    const lost = (error: unknown) => options.onError?.(toStoreError(error), writes.items.map((item) => (typeof item === "string" ? item : item.callId)));
    try {
      if (!handle.raw.open) throw new Error(`the database closed before ${writes.kinds.length} usage entries were written`);
      apply(writes);
      return lost;
    } catch (error) {
      lost(error);
      return undefined;
    }
  };
  /** Applies the queue now, on a connection no other transaction holds. */
  const applyNow = () => {
    if (scheduled) dropTurnEndFlush(handle.raw, write);
    write();
  };
  // After this turn, in one transaction with the response cache's writes (turn-end-writes.ts), which
  // also waits out a kysely transaction holding the connection: writes joined to it would vanish
  // with its rollback.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    flushAtTurnEnd(handle.raw, write);
    flushOnExit(applyNow);
  };
  const enqueue = (kind: WriteKind, item: UsageEntry | string) => {
    queue.kinds.push(kind);
    queue.items.push(item);
    schedule();
  };

  return {
    record: (entry) => enqueue("record", entry),
    settle: (entry) => enqueue("settle", entry),
    release: (callId) => enqueue("release", callId),
    flush: () => {
      if (queue.kinds.length === 0) return Promise.resolve();
      if (!handle.raw.open || !handle.raw.inTransaction) {
        applyNow();
        return Promise.resolve();
      }
      return handle.db.connection().execute(async () => applyNow());
    },
    reserve: (check, reservation) =>
      onFreeConnection(handle, () => {
        const writes = queue;
        const verdict = transactions.reserve(writes, check, reservation);
        // Committed: what was queued is written. (On a failure it stays queued for the next flush.)
        if (queue === writes) {
          queue = { kinds: [], items: [] };
          if (scheduled) dropTurnEndFlush(handle.raw, write);
          scheduled = false;
          forgetOnExit(applyNow);
        }
        return verdict;
      }),
    get pending() {
      return queue.kinds.length;
    },
  };
}

/**
 * Runs synchronous work on the shared connection. A kysely transaction (the job store's, or a
 * reservation's, spanning awaits) may hold it: work run now would join that transaction and vanish
 * with its rollback, so it waits for the connection like any kysely query.
 */
function onFreeConnection<T>(handle: SqliteHandle, work: () => T): Promise<T> {
  const run = (): T => {
    try {
      return work();
    } catch (error) {
      throw toStoreError(error);
    }
  };
  if (!handle.raw.inTransaction) {
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return handle.db.connection().execute(async () => run());
}

const rowOf = (entry: UsageEntry): Row => [
  entry.callId,
  entry.status,
  entry.jobId ?? null,
  entry.scope,
  entry.provider,
  entry.model,
  entry.usage.prompt,
  entry.usage.completion,
  entry.usage.total,
  entry.costMicros,
  entry.cached ? 1 : 0,
  entry.ts,
];
