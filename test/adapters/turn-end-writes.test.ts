import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropTurnEndFlush, flushAtTurnEnd } from "../../src/adapters/store/sqlite/turn-end-writes";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

describe("turn-end writes", () => {
  let raw: Database.Database;
  beforeEach(() => {
    raw = new Database(":memory:");
    raw.exec("create table t (v text)");
  });
  afterEach(() => raw.close());

  const rows = () => (raw.prepare("select v from t order by rowid").pluck().all() as string[]);
  const writer = (value: string, seen: boolean[]) => () => {
    seen.push(raw.inTransaction);
    raw.transaction(() => raw.prepare("insert into t (v) values (?)").run(value))();
    return undefined;
  };

  it("runs every queue's flush once, after the turn, inside one transaction", async () => {
    const seen: boolean[] = [];
    const cache = writer("cache", seen);
    const ledger = writer("ledger", seen);
    flushAtTurnEnd(raw, cache);
    flushAtTurnEnd(raw, ledger);
    flushAtTurnEnd(raw, cache);
    expect(rows()).toEqual([]);
    await nextTurn();
    expect(rows()).toEqual(["cache", "ledger"]);
    expect(seen).toEqual([true, true]);
  });

  it("reports what a failed COMMIT lost to each queue that had written", async () => {
    const lost: string[] = [];
    flushAtTurnEnd(raw, () => {
      raw.prepare("insert into t (v) values ('a')").run();
      return () => lost.push("first");
    });
    flushAtTurnEnd(raw, () => {
      // Leaves the enclosing transaction unable to commit as it was begun.
      raw.exec("commit");
      return () => lost.push("second");
    });
    await nextTurn();
    expect(lost).toEqual(["first", "second"]);
  });

  it("waits out another transaction holding the connection, and skips a queue that flushed itself", async () => {
    const seen: boolean[] = [];
    const dropped = writer("dropped", seen);
    flushAtTurnEnd(raw, writer("kept", seen));
    flushAtTurnEnd(raw, dropped);
    dropTurnEndFlush(raw, dropped);
    raw.exec("begin");
    await nextTurn();
    expect(seen).toEqual([]);
    raw.exec("commit");
    await nextTurn();
    expect(rows()).toEqual(["kept"]);
  });
});
