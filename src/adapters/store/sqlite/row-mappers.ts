import type { Insertable, Selectable } from "kysely";
import type { Job, JobFailure, JobState, PromptPurpose } from "../../../core/domain/job";
import type { JobEvent, JobEventRecord } from "../../../core/domain/job-events";
import type { GenUsage, ProviderId } from "../../../core/ports/provider-port";
import type { ArtifactRecord, JobUpdate, NewJob, SnapshotRecord, UsageEntry } from "../../../core/ports/store-port";
import type { ArtifactsTable, EventsTable, JobsTable, SnapshotsTable, UsageLedgerTable } from "./database";

/** Pure row ↔ domain conversions: row types never leave the store adapter. */

const parseJson = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));
const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

export function jobFromRow(row: Selectable<JobsTable>): Job {
  const job: Job = {
    id: row.id,
    sessionId: row.session_id,
    state: row.state as JobState,
    provider: row.provider as ProviderId,
    model: row.model,
    promptPurpose: row.prompt_purpose as PromptPurpose,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested === 1,
  };
  const input = parseJson<Record<string, unknown>>(row.input_json);
  if (input !== undefined) job.input = input;
  const error = parseJson<JobFailure>(row.error_json);
  if (error !== undefined) job.error = error;
  const usage = parseJson<GenUsage>(row.usage_json);
  if (usage !== undefined) job.usage = usage;
  if (row.usage_json !== null || row.cost_micros !== null) job.costMicros = row.cost_micros;
  const result = parseJson<Record<string, unknown>>(row.result_json);
  if (result !== undefined) job.result = result;
  if (row.finished_at !== null) job.finishedAt = row.finished_at;
  return job;
}

export function newJobRow(job: NewJob): Insertable<JobsTable> {
  return {
    id: job.id,
    session_id: job.sessionId,
    state: "queued",
    provider: job.provider,
    model: job.model,
    prompt_purpose: job.promptPurpose,
    input_json: toJson(job.input),
    error_json: null,
    usage_json: null,
    cost_micros: null,
    result_json: null,
    cancel_requested: 0,
    attempts: 0,
    last_seq: 0,
    created_at: job.createdAt,
    updated_at: job.createdAt,
    finished_at: null,
  };
}

/** The columns a JobUpdate sets; keys left undefined are not touched. */
export function jobUpdateColumns(update: JobUpdate): Partial<Selectable<JobsTable>> {
  const columns: Partial<Selectable<JobsTable>> = {};
  if (update.usage !== undefined) columns.usage_json = JSON.stringify(update.usage);
  if (update.costMicros !== undefined) columns.cost_micros = update.costMicros;
  if (update.result !== undefined) columns.result_json = JSON.stringify(update.result);
  if (update.cancelRequested !== undefined) columns.cancel_requested = update.cancelRequested ? 1 : 0;
  if (update.attempts !== undefined) columns.attempts = update.attempts;
  return columns;
}

export function eventRow(jobId: string, seq: number, event: JobEvent, ts: string): Insertable<EventsTable> {
  return { job_id: jobId, seq, type: event.type, payload_json: JSON.stringify(event), ts };
}

export function eventFromRow(row: Selectable<EventsTable>): JobEventRecord {
  return { jobId: row.job_id, seq: row.seq, ts: row.ts, event: JSON.parse(row.payload_json) as JobEvent };
}

export function artifactRow(artifact: ArtifactRecord): Insertable<ArtifactsTable> {
  return {
    job_id: artifact.jobId,
    name: artifact.name,
    kind: artifact.kind,
    storage_url: artifact.storageUrl,
    sha256: artifact.sha256,
    bytes: artifact.bytes,
    content_type: artifact.contentType,
    created_at: artifact.createdAt,
  };
}

export function artifactFromRow(row: Selectable<ArtifactsTable>): ArtifactRecord {
  return {
    jobId: row.job_id,
    name: row.name,
    kind: row.kind,
    storageUrl: row.storage_url,
    sha256: row.sha256,
    bytes: row.bytes,
    contentType: row.content_type,
    createdAt: row.created_at,
  };
}

export function snapshotRow(snapshot: SnapshotRecord): Insertable<SnapshotsTable> {
  return {
    job_id: snapshot.jobId,
    snapshot_id: snapshot.snapshotId,
    storage_url: snapshot.storageUrl,
    bytes: snapshot.bytes,
    sha256: snapshot.sha256,
    files: snapshot.files,
    created_at: snapshot.createdAt,
  };
}

export function usageRow(entry: UsageEntry): Insertable<UsageLedgerTable> {
  return {
    call_id: entry.callId,
    status: entry.status,
    job_id: entry.jobId ?? null,
    scope: entry.scope,
    provider: entry.provider,
    model: entry.model,
    prompt_tokens: entry.usage.prompt,
    completion_tokens: entry.usage.completion,
    total_tokens: entry.usage.total,
    cost_micros: entry.costMicros,
    cached: entry.cached ? 1 : 0,
    ts: entry.ts,
  };
}
