import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { migrations } from "../../src/adapters/store/sqlite/migrations/index";
import { GromptError } from "../../src/core/domain/errors";
import { makeTempDir } from "../support/temp-home";

describe("opening the SQLite database", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, "grompt.db");
  });
  afterEach(() => temp.cleanup());

  const recorded = (raw: { prepare(sql: string): { all(): unknown[] } }) =>
    (raw.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map((row) => row.name);

  it("migrates a new file, then reopens an up-to-date one with its rows intact", async () => {
    const first = await openSqliteDatabase(file);
    expect(recorded(first.raw)).toEqual(Object.keys(migrations).sort());
    first.raw.prepare("insert into counters (name, value) values ('probe', 7)").run();
    await first.close();

    const again = await openSqliteDatabase(file);
    expect(recorded(again.raw)).toEqual(Object.keys(migrations).sort());
    expect(again.raw.prepare("select value from counters where name = 'probe'").get()).toEqual({ value: 7 });
    await again.close();
  });

  it("refuses a database that records a migration this grompt does not have (a newer grompt's)", async () => {
    const first = await openSqliteDatabase(file);
    first.raw.prepare("insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')").run();
    await first.close();
    const error = await openSqliteDatabase(file).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(GromptError);
    expect((error as GromptError).code).toBe("store_unavailable");
    expect((error as GromptError).message).toContain(`Cannot migrate the database ${file}`);
  });
});
