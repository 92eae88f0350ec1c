import type BetterSqlite3 from "better-sqlite3";
import type { Kysely, Selectable } from "kysely";
import { GromptError } from "../../../core/domain/errors";
import type { Job } from "../../../core/domain/job";
import type { JobEvent, JobEventRecord } from "../../../core/domain/job-events";
import type { Database, IdempotencyKeysTable, JobsTable } from "./database";
import { createGroupCommit } from "./group-commit";
import * as map from "./row-mappers";
import { toStoreError } from "./store-errors";

/**
 * The statements every job runs through — create, read, update, append events — prepared once and
 * run synchronously. Building each through kysely's query builder cost more CPU than SQLite took to
 * run it (a job's life is some 30 statements), and a transaction of synchronous statements makes
 * no promise hops between them. Everything here runs synchronously between two turns of the
 * event loop, or while holding kysely's one connection when a transaction of kysely's is open on
 * it, so it never interleaves with another transaction on that connection.
 */
export interface JobStatements {
  /** Runs `work` outside any transaction (a read sees only committed data). */
  exclusive<T>(work: () => T): Promise<T>;
  /**
   * Runs `work` in BEGIN IMMEDIATE … COMMIT (its changes undone on a throw) — with the other writes
   * asked for in the same turn of the event loop, in one transaction (see group-commit.ts).
   */
  immediate<T>(work: () => T): Promise<T>;
  /** Resolves once every write asked for so far has committed or failed. */
  settle(): Promise<void>;
  findJob(id: string): Job | undefined;
  /** The job, or `not_found`. */
  readJob(id: string): Job;
  insertJob(row: ReturnType<typeof map.newJobRow>): void;
  /** Sets the given columns of one job (none: nothing). */
  updateJob(id: string, columns: Partial<Selectable<JobsTable>>): void;
  /** Inserts events with the job's next seq numbers and advances `last_seq`. */
  appendEvents(jobId: string, events: JobEvent[], ts: string): JobEventRecord[];
  /**
   * A new job's first event, seq 1, for a row inserted with `last_seq` 1 in the same transaction:
   * what appendEvents does, without reading and updating the row it just wrote.
   */
  insertFirstEvent(jobId: string, event: JobEvent, ts: string): void;
  /** Jobs in `queued` (counted on the state index). */
  countQueued(): number;
  findKey(scope: string, key: string): Selectable<IdempotencyKeysTable> | undefined;
  deleteKey(scope: string, key: string): void;
  insertKey(row: Selectable<IdempotencyKeysTable>): void;
}

const newJobColumns = Object.keys(map.newJobRow({ id: "", sessionId: "", provider: "openai", model: "", promptPurpose: "craft", createdAt: "" }));

export function createJobStatements(db: Kysely<Database>, raw: BetterSqlite3.Database): JobStatements {
  const selectJob = raw.prepare<[string], Selectable<JobsTable>>("select * from jobs where id = ?");
  const insertJob = raw.prepare(`insert into jobs (${newJobColumns.join(", ")}) values (${newJobColumns.map(() => "?").join(", ")})`);
  const selectLastSeq = raw.prepare<[string], { last_seq: number }>("select last_seq from jobs where id = ?");
  const setLastSeq = raw.prepare("update jobs set last_seq = ? where id = ?");
  const insertEvent = raw.prepare("insert into events (job_id, seq, type, payload_json, ts) values (?, ?, ?, ?, ?)");
  const countQueued = raw.prepare<[], { queued: number }>("select count(*) as queued from jobs where state = 'queued'");
  const selectKey = raw.prepare<[string, string], Selectable<IdempotencyKeysTable>>("select * from idempotency_keys where scope = ? and key = ?");
  const deleteKey = raw.prepare("delete from idempotency_keys where scope = ? and key = ?");
  const insertKey = raw.prepare("insert into idempotency_keys (scope, key, fingerprint, job_id, created_at, expires_at) values (?, ?, ?, ?, ?, ?)");
  // One statement per set of updated columns (a handful of shapes in practice).
  const updates = new Map<string, BetterSqlite3.Statement>();
  const updateFor = (columns: string[]) => {
    const text = `update jobs set ${columns.map((column) => `${column} = ?`).join(", ")} where id = ?`;
    let statement = updates.get(text);
    if (statement === undefined) {
      statement = raw.prepare(text);
      updates.set(text, statement);
    }
    return statement;
  };

  const hold = <T>(work: () => T): Promise<T> => db.connection().execute(async () => work());
  const group = createGroupCommit(raw, { hold });
  const findJob = (id: string): Job | undefined => {
    const row = selectJob.get(id);
    return row === undefined ? undefined : map.jobFromRow(row);
  };

  return {
    exclusive<T>(work: () => T): Promise<T> {
      // A synchronous read between two turns of the loop cannot interleave with anything: only a
      // transaction of kysely's left open across an await (raw.inTransaction) has to be waited for.
      if (raw.inTransaction) return hold(() => readOrThrow(work));
      try {
        return Promise.resolve(readOrThrow(work));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    immediate: (work) => group.write(work),
    settle: () => group.settle(),
    findJob,
    readJob(id) {
      const job = findJob(id);
      if (job === undefined) throw new GromptError("not_found", `No job has the id ${id}`, { hint: "List jobs with `grompt jobs list`." });
      return job;
    },
    insertJob(row) {
      insertJob.run(newJobColumns.map((column) => row[column as keyof typeof row]));
    },
    updateJob(id, columns) {
      const names = Object.keys(columns);
      if (names.length === 0) return;
      updateFor(names).run([...names.map((name) => columns[name as keyof typeof columns]), id]);
    },
    appendEvents(jobId, events, ts) {
      if (events.length === 0) return [];
      const lastSeq = selectLastSeq.get(jobId)?.last_seq;
      if (lastSeq === undefined) throw new GromptError("not_found", `No job has the id ${jobId}`, { hint: "List jobs with `grompt jobs list`." });
      const records = events.map((event, index) => ({ jobId, seq: lastSeq + index + 1, ts, event }));
      for (const record of records) {
        const row = map.eventRow(jobId, record.seq, record.event, ts);
        insertEvent.run(row.job_id, row.seq, row.type, row.payload_json, row.ts);
      }
      setLastSeq.run(lastSeq + events.length, jobId);
      return records;
    },
    insertFirstEvent(jobId, event, ts) {
      const row = map.eventRow(jobId, 1, event, ts);
      insertEvent.run(row.job_id, row.seq, row.type, row.payload_json, row.ts);
    },
    countQueued: () => countQueued.get()?.queued ?? 0,
    findKey: (scope, key) => selectKey.get(scope, key),
    deleteKey(scope, key) {
      deleteKey.run(scope, key);
    },
    insertKey(row) {
      insertKey.run(row.scope, row.key, row.fingerprint, row.job_id, row.created_at, row.expires_at);
    },
  };
}

function readOrThrow<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error);
  }
}
