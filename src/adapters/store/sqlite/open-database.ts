import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, type MigrationProvider, Migrator, SqliteDialect } from "kysely";
import { GromptError } from "../../../core/domain/errors";
import type { Database } from "./database";
import { migrations } from "./migrations/index";

export interface SqliteHandle {
  db: Kysely<Database>;
  /** The raw connection, for the few statements that must be synchronous (BEGIN IMMEDIATE). */
  raw: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens (creating if needed) the database, in WAL mode with a busy timeout so the CLI and the
 * daemon can share it, and runs pending migrations. A file that is not a database is a clear error.
 */
export async function openSqliteDatabase(path: string): Promise<SqliteHandle> {
  let raw: BetterSqlite3.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    raw = new BetterSqlite3(path);
    raw.pragma("journal_mode = WAL");
    raw.pragma("busy_timeout = 5000");
    raw.pragma("synchronous = NORMAL");
    raw.pragma("foreign_keys = ON");
    raw.prepare("select count(*) from sqlite_master").get();
  } catch (error) {
    throw new GromptError("store_unavailable", `Cannot open the database ${path}: ${(error as Error).message}`, {
      hint: "If the file is corrupt, move it away (grompt creates a new one), or point GROMPT_HOME elsewhere.",
      cause: error,
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new GromptError("store_unavailable", `Cannot migrate the database ${path}: ${(error as Error).message}`, {
      hint: "The database may come from a newer grompt; upgrade, or point GROMPT_HOME elsewhere.",
      cause: error,
    });
  }
  return { db, raw, path, close: () => db.destroy() };
}
