import { type Kysely, sql } from "kysely";

// Frozen: never edit a released migration; add a new one.
// The daily cost quota summed every row of the day's ledger on every reservation: its cost grew with
// the day's calls. `usage_daily` holds each UTC day's running total instead, kept by triggers in the
// same transaction as every ledger write — whichever process, connection or query builder makes it.
// A row counts as the quota always counted it: a settlement always, a reservation only until its
// call's settlement exists (never twice).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table usage_daily (day text primary key, cost_micros integer not null default 0)`.execute(db);
  await sql`
    insert into usage_daily (day, cost_micros)
    select substr(u.ts, 1, 10), sum(coalesce(u.cost_micros, 0)) from usage_ledger u
    where u.status = 'settled' or not exists (select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled')
    group by 1`.execute(db);
  const add = (day: string, amount: string, from: string, when: string) => `
    insert into usage_daily (day, cost_micros) select substr(${day}, 1, 10), ${amount} ${from} where ${when}
    on conflict(day) do update set cost_micros = cost_micros + excluded.cost_micros;`;
  const counts = (row: "new" | "old") =>
    `(${row}.status = 'settled' or not exists (select 1 from usage_ledger s where s.call_id = ${row}.call_id and s.status = 'settled'))`;
  await sql
    .raw(
      `create trigger usage_daily_insert after insert on usage_ledger begin
        ${add("new.ts", "coalesce(new.cost_micros, 0)", "", counts("new"))}
        ${add("r.ts", "-coalesce(r.cost_micros, 0)", "from usage_ledger r", "new.status = 'settled' and r.call_id = new.call_id and r.status = 'reserved'")}
      end`,
    )
    .execute(db);
  // Upserts replace a row in place (same call and status): its old amount goes, the new one comes.
  await sql
    .raw(
      `create trigger usage_daily_update after update on usage_ledger when old.call_id = new.call_id and old.status = new.status begin
        ${add("old.ts", "-coalesce(old.cost_micros, 0)", "", counts("new"))}
        ${add("new.ts", "coalesce(new.cost_micros, 0)", "", counts("new"))}
      end`,
    )
    .execute(db);
  // No writer changes a row's call or status; should one ever, the totals are recounted.
  await sql
    .raw(
      `create trigger usage_daily_rekey after update on usage_ledger when old.call_id <> new.call_id or old.status <> new.status begin
        delete from usage_daily;
        insert into usage_daily (day, cost_micros)
        select substr(u.ts, 1, 10), sum(coalesce(u.cost_micros, 0)) from usage_ledger u
        where u.status = 'settled' or not exists (select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled')
        group by 1;
      end`,
    )
    .execute(db);
  // A settlement removed: its call's reservation, if still there, counts again.
  await sql
    .raw(
      `create trigger usage_daily_delete after delete on usage_ledger begin
        ${add("old.ts", "-coalesce(old.cost_micros, 0)", "", counts("old"))}
        ${add("r.ts", "coalesce(r.cost_micros, 0)", "from usage_ledger r", "old.status = 'settled' and r.call_id = old.call_id and r.status = 'reserved'")}
      end`,
    )
    .execute(db);
}
