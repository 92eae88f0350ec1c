import type { UsageEntry } from "../../../core/ports/store-port";
import type { SqliteHandle } from "./open-database";
import { toStoreError } from "./store-errors";

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

  return {
    record: (entry) => onFreeConnection(handle, () => write(entry)),
    release: (callId) => onFreeConnection(handle, () => void dropReservation.run(callId)),
    settle: (entry) => onFreeConnection(handle, () => settle(entry)),
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
