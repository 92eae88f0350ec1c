import type BetterSqlite3 from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { UsageEntry, UsageLimitCheck, UsageLimitVerdict } from "../../../core/ports/store-port";
import type { Database } from "./database";
import { immediateTransaction } from "./immediate-transaction";
import * as map from "./row-mappers";
import { toStoreError } from "./store-errors";

/**
 * Checks the daily cost and per-minute token limits and takes the reservation in one BEGIN IMMEDIATE
 * transaction: the write lock is held from the sums to the insert, so two processes cannot both
 * take the last of a quota. A reservation whose call has settled is not counted twice.
 */
export function reserveUsageInStore(db: Kysely<Database>, check: UsageLimitCheck, reservation?: UsageEntry): Promise<UsageLimitVerdict> {
  // A check alone writes nothing: plain reads, no write lock held against other writers.
  if (reservation === undefined) return checkLimits(db, check).catch((error: unknown) => Promise.reject(toStoreError(error)));
  return immediateTransaction(db, (tx) => checkLimits(tx, check, reservation));
}

async function checkLimits(tx: Kysely<Database>, check: UsageLimitCheck, reservation?: UsageEntry): Promise<UsageLimitVerdict> {
  if (check.cost !== undefined) {
    // From 00:00 UTC (as the quota asks): the days' running totals, not a sum over their rows.
    const { rows } = dayStart.test(check.cost.since)
      ? await sql<{ cost: number | null }>`select sum(d.cost_micros) as cost from usage_daily d where d.day >= ${check.cost.since.slice(0, 10)}`.execute(tx)
      : await sql<{ cost: number | null }>`
          select sum(coalesce(u.cost_micros, 0)) as cost from usage_ledger u
          where u.ts >= ${check.cost.since} and ${notSettledTwice}`.execute(tx);
    const refused = costVerdict(rows[0]?.cost ?? 0, check.cost, reservation);
    if (refused !== undefined) return refused;
  }
  if (check.tokens !== undefined) {
    const { scope, maxTokens } = check.tokens;
    const { since, nowMs } = tokenWindow(check.now, check.tokens.windowMs);
    // Summed by SQLite: a busy scope has thousands of entries a minute, and turning each into a
    // JavaScript object on every check made the check cost grow with the rate. The entries
    // themselves are read only when the answer is no, to say when enough of them age out.
    const { rows: sums } = await sql<{ tokens: number | null }>`
      select sum(u.total_tokens) as tokens from usage_ledger u
      where u.scope = ${scope} and u.ts >= ${since} and ${notSettledTwice}`.execute(tx);
    const used = sums[0]?.tokens ?? 0;
    const estimate = reservation?.usage.total ?? 0;
    if (overTokens(used, estimate, maxTokens)) {
      const { rows } = await sql<{ ts: string; tokens: number }>`
        select u.ts as ts, u.total_tokens as tokens from usage_ledger u
        where u.scope = ${scope} and u.ts >= ${since} and ${notSettledTwice}
        order by u.ts`.execute(tx);
      return { ok: false, limit: "tokens", usedTokens: used, maxTokens, retryAfterMs: retryAfter(rows, { used, estimate, maxTokens, windowMs: check.tokens.windowMs, nowMs }) };
    }
  }
  if (reservation !== undefined) {
    const row = map.usageRow({ ...reservation, status: "reserved" });
    await tx.insertInto("usage_ledger").values(row).onConflict((oc) => oc.columns(["call_id", "status"]).doUpdateSet(row)).execute();
  }
  return { ok: true };
}

/** An ISO instant at midnight UTC: the spending since then is the sum of whole days in `usage_daily`. */
const dayStart = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/;

const notSettledTwice = sql`(u.status = 'settled' or not exists (
  select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled'))`;

/**
 * The same checks as `reserveUsageInStore`, as prepared better-sqlite3 statements, for a caller that
 * already holds a BEGIN IMMEDIATE transaction on the raw connection (the usage ledger's `reserve`):
 * no query compiled, no await. Returns the verdict; the caller inserts the reservation when it is ok.
 */
export function prepareLimitCheck(raw: BetterSqlite3.Database): (check: UsageLimitCheck, reservation?: UsageEntry) => UsageLimitVerdict {
  const dailyCost = raw.prepare<[string], { cost: number | null }>("select sum(d.cost_micros) as cost from usage_daily d where d.day >= ?");
  const costSince = raw.prepare<[string], { cost: number | null }>(
    `select sum(coalesce(u.cost_micros, 0)) as cost from usage_ledger u where u.ts >= ? and ${notSettledTwiceSql}`,
  );
  const tokensSince = raw.prepare<[string, string], { tokens: number | null }>(
    `select sum(u.total_tokens) as tokens from usage_ledger u where u.scope = ? and u.ts >= ? and ${notSettledTwiceSql}`,
  );
  const tokenRows = raw.prepare<[string, string], { ts: string; tokens: number }>(
    `select u.ts as ts, u.total_tokens as tokens from usage_ledger u where u.scope = ? and u.ts >= ? and ${notSettledTwiceSql} order by u.ts`,
  );
  return (check, reservation) => {
    if (check.cost !== undefined) {
      const since = check.cost.since;
      const spent = (dayStart.test(since) ? dailyCost.get(since.slice(0, 10)) : costSince.get(since))?.cost ?? 0;
      const refused = costVerdict(spent, check.cost, reservation);
      if (refused !== undefined) return refused;
    }
    if (check.tokens !== undefined) {
      const { scope, windowMs, maxTokens } = check.tokens;
      const { since, nowMs } = tokenWindow(check.now, check.tokens.windowMs);
      const used = tokensSince.get(scope, since)?.tokens ?? 0;
      const estimate = reservation?.usage.total ?? 0;
      if (overTokens(used, estimate, maxTokens)) {
        const retryAfterMs = retryAfter(tokenRows.all(scope, since), { used, estimate, maxTokens, windowMs, nowMs });
        return { ok: false, limit: "tokens", usedTokens: used, maxTokens, retryAfterMs };
      }
    }
    return { ok: true };
  };
}

const notSettledTwiceSql = `(u.status = 'settled' or not exists (
  select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled'))`;

/** The cost verdict from the day's spending: a refusal, or undefined when the reservation fits. */
function costVerdict(spent: number, cost: NonNullable<UsageLimitCheck["cost"]>, reservation?: UsageEntry): UsageLimitVerdict | undefined {
  const estimate = reservation?.costMicros ?? 0;
  if (spent < cost.maxCostMicros && spent + estimate <= cost.maxCostMicros) return undefined;
  return { ok: false, limit: "cost", spentMicros: spent, maxCostMicros: cost.maxCostMicros };
}

/** The token window ending now: entries at or after `since` count. */
function tokenWindow(now: string, windowMs: number): { since: string; nowMs: number } {
  const nowMs = Date.parse(now);
  return { since: new Date(nowMs - windowMs).toISOString(), nowMs };
}

const overTokens = (used: number, estimate: number, maxTokens: number): boolean => used >= maxTokens || used + estimate > maxTokens;

/** When enough of the window's oldest entries have aged out for the request to fit (the whole window if it never can). */
function retryAfter(
  rows: readonly { ts: string; tokens: number }[],
  limits: { used: number; estimate: number; maxTokens: number; windowMs: number; nowMs: number },
): number {
  let left = limits.used;
  for (const row of rows) {
    left -= row.tokens;
    if (left < limits.maxTokens && left + limits.estimate <= limits.maxTokens) {
      return Math.max(1, Date.parse(row.ts) + limits.windowMs - limits.nowMs);
    }
  }
  return limits.windowMs;
}
