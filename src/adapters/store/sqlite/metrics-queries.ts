import type { Kysely } from "kysely";
import type { UsageTotal } from "../../../core/ports/metering-port";
import type { FinishedJobRecord, IdempotencyRecord } from "../../../core/ports/store-port";
import type { Database } from "./database";

/** Read-mostly queries behind `/metrics` and idempotent replays. */
export function createMetricsQueries(db: Kysely<Database>) {
  return {
    async findIdempotencyKey(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
      const row = await db.selectFrom("idempotency_keys").selectAll().where("scope", "=", scope).where("key", "=", key).executeTakeFirst();
      return row === undefined
        ? undefined
        : { scope: row.scope, key: row.key, fingerprint: row.fingerprint, jobId: row.job_id, expiresAt: row.expires_at };
    },

    async usageTotals(): Promise<UsageTotal[]> {
      const rows = await db
        .selectFrom("usage_ledger")
        .select((eb) => [
          "provider",
          "model",
          eb.fn.sum<number>("prompt_tokens").as("prompt"),
          eb.fn.sum<number>("completion_tokens").as("completion"),
          eb.fn.sum<number>(eb.fn.coalesce("cost_micros", eb.lit(0))).as("cost"),
          eb.fn.countAll<number>().as("calls"),
        ])
        .where("status", "=", "settled")
        .where("cached", "=", 0)
        .groupBy(["provider", "model"])
        .orderBy("provider")
        .orderBy("model")
        .execute();
      return rows.map((row) => ({
        provider: row.provider,
        model: row.model,
        promptTokens: Number(row.prompt),
        completionTokens: Number(row.completion),
        costMicros: Number(row.cost),
        calls: Number(row.calls),
      }));
    },

    async finishedJobsSince(since: string | undefined, excludeIds: readonly string[], limit: number): Promise<FinishedJobRecord[]> {
      let select = db
        .selectFrom("jobs")
        .select(["id", "prompt_purpose", "provider", "model", "state", "created_at", "finished_at"])
        .where("finished_at", "is not", null);
      if (since !== undefined) select = select.where("finished_at", ">=", since);
      if (excludeIds.length > 0) select = select.where("id", "not in", [...excludeIds]);
      const rows = await select.orderBy("finished_at").orderBy("id").limit(limit).execute();
      return rows.map((row) => {
        const finishedAt = row.finished_at as string;
        return {
          id: row.id,
          finishedAt,
          purpose: row.prompt_purpose,
          provider: row.provider,
          model: row.model,
          state: row.state,
          seconds: Math.max(0, (Date.parse(finishedAt) - Date.parse(row.created_at)) / 1000),
        };
      });
    },

    async readCounters(): Promise<Record<string, number>> {
      const rows = await db.selectFrom("counters").selectAll().execute();
      return Object.fromEntries(rows.map((row) => [row.name, row.value]));
    },

    async bumpCounter(name: string, by = 1): Promise<void> {
      await db
        .insertInto("counters")
        .values({ name, value: by })
        .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ value: eb("counters.value", "+", by) })))
        .execute();
    },
  };
}
