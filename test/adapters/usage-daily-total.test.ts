import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { migrations } from "../../src/adapters/store/sqlite/migrations/index";
import { type SqliteHandle, openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";
import { createUsageLedger } from "../../src/adapters/store/sqlite/usage-ledger";
import type { StorePort, UsageEntry } from "../../src/core/ports/store-port";
import { makeTempDir } from "../support/temp-home";

const entry = (callId: string, status: UsageEntry["status"], costMicros: number | null, ts: string): UsageEntry => ({
  callId,
  status,
  scope: "cli",
  provider: "openai",
  model: "gpt-4.1-mini",
  usage: { prompt: 1, completion: 1, total: 2 },
  costMicros,
  cached: false,
  ts,
});

/** What the quota counted before the running totals: every row of the day, a reservation only until its call settled. */
function summedPerDay(raw: BetterSqlite3.Database): Record<string, number> {
  const rows = raw
    .prepare<[], { day: string; cost: number }>(
      `select substr(u.ts, 1, 10) as day, sum(coalesce(u.cost_micros, 0)) as cost from usage_ledger u
       where u.status = 'settled' or not exists (select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled')
       group by 1`,
    )
    .all();
  return Object.fromEntries(rows.filter((row) => row.cost !== 0).map((row) => [row.day, row.cost]));
}

function runningPerDay(raw: BetterSqlite3.Database): Record<string, number> {
  const rows = raw.prepare<[], { day: string; cost: number }>("select day, cost_micros as cost from usage_daily").all();
  return Object.fromEntries(rows.filter((row) => row.cost !== 0).map((row) => [row.day, row.cost]));
}

describe("usage_daily: each UTC day's running quota total", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let handle: SqliteHandle;
  let store: StorePort;
  beforeEach(async () => {
    temp = makeTempDir();
    handle = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    store = createSqliteStore(handle);
  });
  afterEach(async () => {
    await store.close();
    temp.cleanup();
  });

  it("matches the sum over the ledger after any mix of reservations, settlements, replacements and releases", async () => {
    const ledger = createUsageLedger(handle);
    const days = ["2026-11-24T23:59:59.900Z", "2026-11-25T00:00:00.000Z", "2026-11-25T12:00:00.000Z"];
    let seed = 7;
    const pick = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let step = 0; step < 600; step += 1) {
      const callId = `call-${pick(40)}`;
      const cost = pick(5) === 0 ? null : pick(10_000);
      const ts = days[pick(days.length)] as string;
      switch (pick(6)) {
        case 0:
          await store.recordUsage(entry(callId, "reserved", cost, ts));
          break;
        case 1:
          await ledger.record(entry(callId, "reserved", cost, ts));
          break;
        case 2:
          await ledger.settle(entry(callId, "settled", cost, ts));
          break;
        case 3:
          await store.recordUsage(entry(callId, "settled", cost, ts));
          break;
        case 4:
          await ledger.release(callId);
          break;
        default:
          handle.raw.prepare("delete from usage_ledger where call_id = ? and status = 'settled'").run(callId);
      }
      if (step % 50 === 0) expect(runningPerDay(handle.raw)).toEqual(summedPerDay(handle.raw));
    }
    expect(runningPerDay(handle.raw)).toEqual(summedPerDay(handle.raw));
  });

  it("is what the quota check reads, with the reservation taken in the same IMMEDIATE transaction", async () => {
    const since = "2026-11-25T00:00:00.000Z";
    const now = "2026-11-25T10:00:00.000Z";
    await store.recordUsage(entry("old", "settled", 900_000, "2026-11-24T10:00:00.000Z"));
    await store.recordUsage(entry("a", "settled", 400_000, now));
    const check = { now, cost: { since, maxCostMicros: 1_000_000 } };
    await expect(store.reserveUsage?.(check, entry("b", "reserved", 500_000, now))).resolves.toEqual({ ok: true });
    // b's reservation counts now: 900k of 1M used today.
    await expect(store.reserveUsage?.(check, entry("c", "reserved", 200_000, now))).resolves.toMatchObject({ ok: false, spentMicros: 900_000 });
    // b settles for less than it reserved: only its settlement counts.
    await store.settleUsage?.(entry("b", "settled", 100_000, now));
    await expect(store.reserveUsage?.(check, entry("c", "reserved", 200_000, now))).resolves.toEqual({ ok: true });
    expect(runningPerDay(handle.raw)).toEqual({ "2026-11-24": 900_000, "2026-11-25": 700_000 });
  });

  it("the write-behind ledger's reserve writes what is queued, checks and reserves in one IMMEDIATE transaction", async () => {
    const queue = createUsageLedger(handle).later();
    const now = "2026-11-25T10:00:00.000Z";
    const check = { now, cost: { since: "2026-11-25T00:00:00.000Z", maxCostMicros: 1_000_000 } };
    queue.record(entry("queued", "settled", 600_000, now));
    expect(queue.pending).toBe(1);
    // The queued settlement counts: 600k + 500k would pass the quota.
    await expect(queue.reserve(check, entry("big", "reserved", 500_000, now))).resolves.toMatchObject({ ok: false, limit: "cost", spentMicros: 600_000 });
    expect(queue.pending).toBe(0);
    await expect(queue.reserve(check, entry("small", "reserved", 300_000, now))).resolves.toEqual({ ok: true });
    const rows = handle.raw.prepare("select call_id, status from usage_ledger order by call_id").all();
    expect(rows).toEqual([
      { call_id: "queued", status: "settled" },
      { call_id: "small", status: "reserved" },
    ]);
    expect(runningPerDay(handle.raw)).toEqual({ "2026-11-25": 900_000 });
    // Another connection's settlement counts at once.
    const other = await openSqliteDatabase(handle.path);
    try {
      await createUsageLedger(other).record(entry("racer", "settled", 100_000, now));
    } finally {
      await other.close();
    }
    await expect(queue.reserve(check, entry("last", "reserved", 50_000, now))).resolves.toMatchObject({ ok: false, spentMicros: 1_000_000 });
  });

  it("counts what another process's connection writes", async () => {
    const other = await openSqliteDatabase(handle.path);
    try {
      await createUsageLedger(other).settle(entry("elsewhere", "settled", 250_000, "2026-11-25T08:00:00.000Z"));
    } finally {
      await other.close();
    }
    const check = { now: "2026-11-25T09:00:00.000Z", cost: { since: "2026-11-25T00:00:00.000Z", maxCostMicros: 300_000 } };
    await expect(store.reserveUsage?.(check, entry("here", "reserved", 100_000, check.now))).resolves.toMatchObject({ ok: false, spentMicros: 250_000 });
  });
});

describe("migration 0003", () => {
  it("fills the running totals from a ledger written before it", async () => {
    const temp = makeTempDir();
    const raw = new BetterSqlite3(join(temp.dir, "grompt.db"));
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo("0002-hot-path-indexes")).error).toBeUndefined();
      const insert = raw.prepare(
        `insert into usage_ledger (call_id, status, scope, provider, model, prompt_tokens, completion_tokens, total_tokens, cost_micros, cached, ts)
         values (?, ?, 'cli', 'openai', 'm', 1, 1, 2, ?, 0, ?)`,
      );
      insert.run("a", "reserved", 500, "2026-11-25T01:00:00.000Z");
      insert.run("a", "settled", 300, "2026-11-25T01:00:01.000Z");
      insert.run("b", "reserved", 700, "2026-11-25T02:00:00.000Z");
      insert.run("c", "settled", null, "2026-11-24T02:00:00.000Z");
      insert.run("d", "settled", 50, "2026-11-24T03:00:00.000Z");
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(runningPerDay(raw)).toEqual({ "2026-11-25": 1_000, "2026-11-24": 50 });
      expect(runningPerDay(raw)).toEqual(summedPerDay(raw));
    } finally {
      await db.destroy();
      temp.cleanup();
    }
  });
});
