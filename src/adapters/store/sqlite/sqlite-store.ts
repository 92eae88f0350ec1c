import { type Selectable, sql } from "kysely";
import { GromptError } from "../../../core/domain/errors";
import { type Job, isTerminal } from "../../../core/domain/job";
import type { JobEvent } from "../../../core/domain/job-events";
import { transition } from "../../../core/domain/job-state-machine";
import type { JobPage, StorePort } from "../../../core/ports/store-port";
import type { JobsTable } from "./database";
import { decodeJobCursor, encodeJobCursor } from "./job-cursor";
import { createJobStatements } from "./job-statements";
import { createMetricsQueries } from "./metrics-queries";
import type { SqliteHandle } from "./open-database";
import { reserveUsageInStore } from "./reserve-usage";
import * as map from "./row-mappers";
import { toStoreError } from "./store-errors";
import { createUsageLedger } from "./usage-ledger";

export interface SqliteStoreOptions {
  /** Time source for `updatedAt`, event `ts` and idempotency expiry checks. */
  clock?: () => Date;
}

const defaultPageSize = 50;
const maxPageSize = 500;

/** StorePort over SQLite (kysely + better-sqlite3). Writes that read first run in BEGIN IMMEDIATE. */
export function createSqliteStore(handle: SqliteHandle, options: SqliteStoreOptions = {}): StorePort {
  const { db } = handle;
  const now = () => (options.clock?.() ?? new Date()).toISOString();
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  };

  const metrics = createMetricsQueries(db);
  const ledger = createUsageLedger(handle);
  const jobs = createJobStatements(db, handle.raw);

  return {
    createJob: (job, idempotency) =>
      jobs.immediate(() => {
        const ts = now();
        if (idempotency !== undefined) {
          const existing = jobs.findKey(idempotency.scope, idempotency.key);
          if (existing !== undefined && existing.expires_at > ts) {
            if (existing.fingerprint !== idempotency.fingerprint) {
              throw new GromptError("idempotency_mismatch", `The Idempotency-Key "${idempotency.key}" was already used with another request body`, {
                hint: "Use a new Idempotency-Key for a different request, or resend the original body.",
                details: { jobId: existing.job_id },
              });
            }
            return { created: false, job: jobs.readJob(existing.job_id) };
          }
          if (existing !== undefined) jobs.deleteKey(idempotency.scope, idempotency.key);
        }
        // Its `job-created` event, below, is seq 1.
        const row = { ...map.newJobRow(job), last_seq: 1 };
        try {
          jobs.insertJob(row);
        } catch (error) {
          if ((error as { code?: unknown }).code !== "SQLITE_CONSTRAINT_PRIMARYKEY") throw error;
          throw new GromptError("invalid_input", `A job with id ${job.id} already exists`, { hint: "Use a new job id." });
        }
        // The row holds every column: the job it describes is what reading it back would give.
        const created = map.jobFromRow(row as Selectable<JobsTable>);
        jobs.insertFirstEvent(job.id, { type: "job-created", job: created }, ts);
        if (idempotency !== undefined) {
          jobs.insertKey({
            scope: idempotency.scope,
            key: idempotency.key,
            fingerprint: idempotency.fingerprint,
            job_id: job.id,
            created_at: ts,
            expires_at: idempotency.expiresAt,
          });
        }
        return { created: true, job: created };
      }),

    getJob: (id) => jobs.exclusive(() => jobs.findJob(id)),
    countQueuedJobs: () => jobs.exclusive(() => jobs.countQueued()),

    listJobs: (query = {}) =>
      guard(async (): Promise<JobPage> => {
        const limit = query.limit ?? defaultPageSize;
        if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
          throw new GromptError("invalid_input", `The page size ${limit} is out of range`, { hint: `Use a whole number from 1 to ${maxPageSize}.` });
        }
        let select = db.selectFrom("jobs").selectAll();
        if (query.states !== undefined && query.states.length > 0) select = select.where("state", "in", query.states);
        if (query.purposes !== undefined && query.purposes.length > 0) select = select.where("prompt_purpose", "in", query.purposes);
        if (query.sessionId !== undefined) select = select.where("session_id", "=", query.sessionId);
        if (query.cursor !== undefined) {
          const after = decodeJobCursor(query.cursor);
          select = select.where((eb) =>
            eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]),
          );
        }
        const rows = await select.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit + 1).execute();
        const jobs = rows.slice(0, limit).map(map.jobFromRow);
        const last = jobs[jobs.length - 1];
        return rows.length > limit && last !== undefined
          ? { jobs, nextCursor: encodeJobCursor({ createdAt: last.createdAt, id: last.id }) }
          : { jobs };
      }),

    transitionJob: (id, change) =>
      jobs.immediate(() => {
        const job = jobs.readJob(id);
        if (job.state !== change.from) {
          throw new GromptError("invalid_transition", `Job ${id} is in "${job.state}", not "${change.from}"`, {
            hint: "The job moved on meanwhile; re-read it with `grompt jobs show`.",
            details: { expected: change.from, actual: job.state },
          });
        }
        const next = transition(job, change.event);
        const ts = now();
        jobs.updateJob(id, {
          ...map.jobUpdateColumns(change.update ?? {}),
          state: next.state,
          error_json: next.error === undefined ? null : JSON.stringify(next.error),
          updated_at: ts,
          finished_at: isTerminal(next.state) ? ts : null,
        });
        const moved = jobs.readJob(id);
        const events: JobEvent[] = [{ type: "state-changed", from: job.state, to: next.state }, ...(change.events ?? [])];
        if (next.state === "done") events.push({ type: "job-completed", result: moved.result ?? {} });
        if (next.state === "error" && next.error !== undefined) events.push({ type: "job-failed", error: next.error });
        const records = jobs.appendEvents(id, events, ts);
        return { job: moved, events: records };
      }),

    updateJob: (id, update, events = []) =>
      jobs.immediate(() => {
        const job = jobs.readJob(id);
        if (events.length > 0) refuseEventsAfterEnd(job);
        const ts = now();
        jobs.updateJob(id, { ...map.jobUpdateColumns(update), updated_at: ts });
        jobs.appendEvents(id, events, ts);
        return jobs.readJob(id);
      }),

    appendEvents: (jobId, events) =>
      jobs.immediate(() => {
        refuseEventsAfterEnd(jobs.readJob(jobId));
        return jobs.appendEvents(jobId, events, now());
      }),

    listEvents: (jobId, query = {}) =>
      guard(async () => {
        let select = db.selectFrom("events").selectAll().where("job_id", "=", jobId);
        if (query.afterSeq !== undefined) select = select.where("seq", ">", query.afterSeq);
        if (query.limit !== undefined) select = select.limit(query.limit);
        const rows = await select.orderBy("seq").execute();
        return rows.map(map.eventFromRow);
      }),

    recordSnapshot: (snapshot) =>
      guard(async () => {
        const row = map.snapshotRow(snapshot);
        await db.insertInto("snapshots").values(row).onConflict((oc) => oc.column("job_id").doUpdateSet(row)).execute();
      }),

    recordArtifact: (artifact) =>
      guard(async () => {
        const row = map.artifactRow(artifact);
        await db.insertInto("artifacts").values(row).onConflict((oc) => oc.columns(["job_id", "name"]).doUpdateSet(row)).execute();
      }),

    listArtifacts: (jobId) =>
      guard(async () => {
        const rows = await db.selectFrom("artifacts").selectAll().where("job_id", "=", jobId).orderBy("created_at").orderBy("name").execute();
        return rows.map(map.artifactFromRow);
      }),

    recordUsage: (entry) => ledger.record(entry),
    settleUsage: (entry) => ledger.settle(entry),
    releaseReservation: (callId) => ledger.release(callId),

    usageSince: (since, scope) =>
      guard(async () => {
        // A reservation whose call has settled is not counted twice.
        const scopeFilter = scope === undefined ? sql`` : sql`and u.scope = ${scope}`;
        const { rows } = await sql<{ cost: number | null; tokens: number | null; calls: number }>`
          select sum(coalesce(u.cost_micros, 0)) as cost, sum(u.total_tokens) as tokens, count(*) as calls
          from usage_ledger u
          where u.ts >= ${since} ${scopeFilter}
            and (u.status = 'settled' or not exists (
              select 1 from usage_ledger s where s.call_id = u.call_id and s.status = 'settled'))`.execute(db);
        const totals = rows[0];
        return { costMicros: totals?.cost ?? 0, tokens: totals?.tokens ?? 0, calls: totals?.calls ?? 0 };
      }),

    deleteExpiredIdempotencyKeys: (at) =>
      guard(async () => {
        const result = await db.deleteFrom("idempotency_keys").where("expires_at", "<=", at).executeTakeFirst();
        return Number(result.numDeletedRows);
      }),

    reserveUsage: (check, reservation) => reserveUsageInStore(db, check, reservation),
    findIdempotencyKey: (scope, key) => guard(() => metrics.findIdempotencyKey(scope, key)),
    usageTotals: () => guard(() => metrics.usageTotals()),
    finishedJobsSince: (since, excludeIds, limit) => guard(() => metrics.finishedJobsSince(since, excludeIds, limit)),
    readCounters: () => guard(() => metrics.readCounters()),
    bumpCounter: (name, by) => guard(() => metrics.bumpCounter(name, by)),

    close: async () => {
      await jobs.settle();
      await handle.close();
    },
  };
}

function refuseEventsAfterEnd(job: Job): void {
  if (isTerminal(job.state)) {
    throw new GromptError("invalid_transition", `Job ${job.id} already ended in "${job.state}"; no more events can be added`, {
      hint: "Read the job's final state with `grompt jobs show`.",
      details: { from: job.state },
    });
  }
}
