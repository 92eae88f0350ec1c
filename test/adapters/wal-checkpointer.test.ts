import { copyFileSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { makeTempDir } from "../support/temp-home";

/** Rows of the database file alone — what a checkpoint has copied out of the write-ahead log. */
function rowsInMainFile(dir: string, path: string): number {
  const copy = join(dir, `main-only-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(path, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    const table = db.prepare("select 1 from sqlite_master where name = 'counters'").get();
    return table === undefined ? 0 : (db.prepare("select count(*) as n from counters").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function insertCounters(handle: Awaited<ReturnType<typeof openSqliteDatabase>>, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 1) await sql`insert into counters (name, value) values (${`c${i}`}, ${i})`.execute(handle.db);
}

describe("background WAL checkpoints", () => {
  it("copies committed pages into the database file without a checkpoint on the writer's connection", async () => {
    const temp = makeTempDir();
    try {
      const path = join(temp.dir, "grompt.db");
      const handle = await openSqliteDatabase(path, { backgroundCheckpoints: true });
      // Far below the 1,000-page automatic checkpoint: without the thread these rows stay in the log.
      handle.raw.pragma("wal_autocheckpoint = 0");
      await insertCounters(handle, 0, 50);
      let copied = 0;
      for (let waited = 0; waited < 5_000 && copied < 50; waited += 25) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        copied = rowsInMainFile(temp.dir, path);
      }
      expect(copied).toBe(50);
      await handle.close();
    } finally {
      temp.cleanup();
    }
  });

  it("leaves the log alone without the option, and stops its thread on close", async () => {
    const temp = makeTempDir();
    try {
      const path = join(temp.dir, "grompt.db");
      const plain = await openSqliteDatabase(path);
      plain.raw.pragma("wal_autocheckpoint = 0");
      await insertCounters(plain, 0, 20);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rowsInMainFile(temp.dir, path)).toBe(0);
      await plain.close();

      const background = await openSqliteDatabase(path, { backgroundCheckpoints: true });
      // A write, as a daemon makes: SQLite removes the log at the last close of a connection that wrote.
      await insertCounters(background, 20, 1);
      await background.close();
      // Closed cleanly by both connections: the last close checkpoints and removes the log.
      expect(() => statSync(`${path}-wal`)).toThrow();
      const reopened = await openSqliteDatabase(path);
      expect((await sql<{ n: number }>`select count(*) as n from counters`.execute(reopened.db)).rows[0]?.n).toBe(21);
      await reopened.close();
    } finally {
      temp.cleanup();
    }
  });
});
