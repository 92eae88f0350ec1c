import type { Kysely } from "kysely";

// Frozen: never edit a released migration; add a new one.
// Storing an answer sweeps expired cache entries, and the daily quota sums every scope's spending
// since 00:00 UTC: without these, both read the whole table on every provider call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("cache_entries_expires").on("cache_entries").column("expires_at").execute();
  await db.schema.createIndex("usage_ledger_day").on("usage_ledger").column("ts").execute();
}
