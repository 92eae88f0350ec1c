import { type Kysely, sql } from "kysely";
import type { Database } from "./database";
import { toStoreError } from "./store-errors";

/**
 * Runs `work` in a `BEGIN IMMEDIATE` transaction. kysely's own `begin` is deferred: two processes
 * that both read then write would each hold a read lock and one would fail with SQLITE_BUSY on the
 * upgrade, without waiting. IMMEDIATE takes the write lock up front, so the busy timeout applies.
 * Within the process, the single connection is held for the whole transaction.
 */
export async function immediateTransaction<T>(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    try {
      await sql`begin immediate`.execute(connection);
    } catch (error) {
      throw toStoreError(error);
    }
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw toStoreError(error);
    }
  });
}
