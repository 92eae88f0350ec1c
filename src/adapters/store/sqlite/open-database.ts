import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, type MigrationProvider, Migrator, SqliteDialect, type SqliteDatabase } from "kysely";
import { GromptError } from "../../../core/domain/errors";
import type { Database } from "./database";
import { migrations } from "./migrations/index";
import { type WalCheckpointer, startWalCheckpointer } from "./wal-checkpointer";

export interface SqliteHandle {
  db: Kysely<Database>;
  /** The raw connection, for the few statements that must be synchronous (BEGIN IMMEDIATE). */
  raw: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

export interface SqliteOpenOptions {
  /**
   * Checkpoint the write-ahead log on a worker thread rather than inside commits (see
   * wal-checkpointer.ts): for long-running processes whose event loop must not stall, `grompt serve`.
   */
  backgroundCheckpoints?: boolean;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Opens (creating if needed) the database, in WAL mode with a busy timeout so the CLI and the
 * daemon can share it, and runs pending migrations. A file that is not a database is a clear error.
 */
export async function openSqliteDatabase(path: string, options: SqliteOpenOptions = {}): Promise<SqliteHandle> {
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  const { error } = migrated(raw) ? { error: undefined } : await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new GromptError("store_unavailable", `Cannot migrate the database ${path}: ${(error as Error).message}`, {
      hint: "The database may come from a newer grompt; upgrade, or point GROMPT_HOME elsewhere.",
      cause: error,
    });
  }
  let checkpointer: WalCheckpointer | undefined;
  if (options.backgroundCheckpoints === true && path !== ":memory:") {
    // Without the thread the connection checkpoints as SQLite always does: with stalls, never wrong.
    checkpointer = await startWalCheckpointer(path).catch(() => undefined);
  }
  return {
    db,
    raw,
    path,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Whether the database already records exactly our migrations. kysely's Migrator inspects the
 * schema and takes its lock on every open, several times the cost of a `jobs list`; a database that
 * is up to date skips it. Anything else (a new file, a pending migration, one from a newer grompt)
 * goes through the Migrator, which migrates or refuses. The Migrator records a migration only after
 * it has run, so one still running in another process is never mistaken for done.
 */
function migrated(raw: BetterSqlite3.Database): boolean {
  const known = Object.keys(migrations).sort();
  try {
    const applied = (raw.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map((row) => row.name);
    return applied.length === known.length && applied.every((name, index) => name === known[index]);
  } catch {
    // No migration table yet: a new database.
    return false;
  }
}

/**
 * kysely's SQLite driver prepares every statement again on every query, which costs about as much
 * as running it; statements are reused here by their SQL text (least recently used past `size`).
 * A statement still being iterated (`busy`) is never handed out twice.
 */
function withStatementCache(raw: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) {
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}
