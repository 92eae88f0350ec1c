import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GroupCommit, createGroupCommit } from "../../src/adapters/store/sqlite/group-commit";
import { immediateTransaction } from "../../src/adapters/store/sqlite/immediate-transaction";
import { type SqliteHandle, openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { makeTempDir } from "../support/temp-home";

describe("group commit", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let handle: SqliteHandle;
  /** A second connection: it sees only what was committed. */
  let other: BetterSqlite3.Database;
  let group: GroupCommit;
  const insert = (value: string) => () => handle.raw.prepare("insert into notes (value) values (?)").run(value).lastInsertRowid;
  const committed = () => (other.prepare("select value from notes order by rowid").all() as { value: string }[]).map((row) => row.value);

  beforeEach(async () => {
    temp = makeTempDir();
    const path = join(temp.dir, "grompt.db");
    handle = await openSqliteDatabase(path);
    handle.raw.exec("create table notes (value text not null unique)");
    other = new BetterSqlite3(path);
    group = createGroupCommit(handle.raw, { hold: (work) => handle.db.connection().execute(async () => work()), maxBatch: 3 });
  });
  afterEach(async () => {
    other.close();
    await handle.close();
    temp.cleanup();
  });

  it("runs the writes of one turn in one transaction, in order, and settles each only once it is committed", async () => {
    const seenByOthers: string[][] = [];
    const writes = [
      group.write(insert("a")),
      group.write(() => {
        seenByOthers.push(committed());
        return insert("b")();
      }),
    ];
    expect(handle.raw.inTransaction).toBe(false); // nothing runs before the turn ends
    const ids = await Promise.all(writes);
    expect(ids).toEqual([1, 2]);
    // While the second ran, the first was written but not committed: they shared a transaction.
    expect(seenByOthers).toEqual([[]]);
    expect(committed()).toEqual(["a", "b"]);
  });

  it("rejects only the write that threw, undoing what it had written, and commits the others", async () => {
    const results = await Promise.allSettled([
      group.write(insert("a")),
      group.write(() => {
        insert("half-done")();
        throw new Error("the handler failed");
      }),
      group.write(insert("c")),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "internal", message: "the handler failed" });
    expect(committed()).toEqual(["a", "c"]);
  });

  it("runs a batch with a failing write again from scratch: each other write lands once, with the value of the run that committed", async () => {
    // A constraint failure halfway through a write, as a real one would be (the unique value "a" exists already).
    const duplicate = () => {
      insert("partial")();
      return insert("a")();
    };
    const results = await Promise.allSettled([group.write(insert("a")), group.write(duplicate), group.write(insert("b"))]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "store_unavailable" });
    expect(committed()).toEqual(["a", "b"]);
    // The rowids returned are those of the committed rows, not of the rolled-back first pass.
    const rowids = (other.prepare("select rowid as id from notes order by rowid").all() as { id: number }[]).map((row) => row.id);
    expect([(results[0] as PromiseFulfilledResult<number>).value, (results[2] as PromiseFulfilledResult<number>).value]).toEqual(rowids);
  });

  it("rejects every write of a transaction whose commit fails, and none of them stays", async () => {
    handle.raw.exec("create table parents (id text primary key); create table children (parent text references parents (id) deferrable initially deferred)");
    // A deferred foreign key is checked at COMMIT: the second write makes the whole commit fail.
    const results = await Promise.allSettled([group.write(insert("a")), group.write(() => handle.raw.prepare("insert into children (parent) values ('missing')").run())]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: "store_unavailable" });
    expect(committed()).toEqual([]);
    expect(handle.raw.inTransaction).toBe(false);
    await group.write(insert("after"));
    expect(committed()).toEqual(["after"]);
  });

  it("puts at most maxBatch writes in one transaction; the rest commit in the next, still in order", async () => {
    const seenByOthers: string[][] = [];
    const writes = ["a", "b", "c", "d"].map((value) =>
      group.write(() => {
        seenByOthers.push(committed());
        return insert(value)();
      }),
    );
    await Promise.all(writes);
    expect(seenByOthers).toEqual([[], [], [], ["a", "b", "c"]]);
    expect(committed()).toEqual(["a", "b", "c", "d"]);
  });

  it("waits for a transaction of kysely's left open across an await instead of joining it", async () => {
    let release!: () => void;
    const opened = new Promise<void>((resolve) => {
      void immediateTransaction(handle.db, async (tx) => {
        await sql`insert into notes (value) values ('kysely')`.execute(tx);
        resolve();
        await new Promise<void>((done) => (release = done));
        throw new Error("rolled back on purpose");
      }).catch(() => undefined);
    });
    await opened;
    const write = group.write(insert("grouped"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(committed()).toEqual([]); // the group waits while kysely's transaction is open
    release();
    await write;
    expect(committed()).toEqual(["grouped"]); // and the rollback did not take the group's write with it
  });

  it("settle() resolves once the writes asked for before it have settled", async () => {
    void group.write(insert("a"));
    void group.write(() => {
      throw new Error("no");
    }).catch(() => undefined);
    await group.settle();
    expect(committed()).toEqual(["a"]);
    await expect(group.settle()).resolves.toBeUndefined();
  });
});
