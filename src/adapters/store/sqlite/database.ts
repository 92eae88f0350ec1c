import type { Generated } from "kysely";

/** Row types of the SQLite (and later Postgres) schema. They never leave the store adapters. */
export interface JobsTable {
  id: string;
  session_id: string;
  state: string;
  provider: string;
  model: string;
  prompt_purpose: string;
  input_json: string | null;
  error_json: string | null;
  usage_json: string | null;
  cost_micros: number | null;
  result_json: string | null;
  cancel_requested: number;
  attempts: number;
  /** The last event seq handed out for this job. */
  last_seq: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface EventsTable {
  job_id: string;
  seq: number;
  type: string;
  payload_json: string;
  ts: string;
}

export interface SnapshotsTable {
  job_id: string;
  snapshot_id: string;
  storage_url: string;
  bytes: number;
  sha256: string;
  files: number;
  created_at: string;
}

export interface ArtifactsTable {
  job_id: string;
  name: string;
  kind: string;
  storage_url: string;
  sha256: string;
  bytes: number;
  content_type: string;
  created_at: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  job_id: string;
  created_at: string;
  expires_at: string;
}

export interface CacheEntriesTable {
  key: string;
  value_json: string;
  bytes: number;
  /** Epoch milliseconds, so expiry and LRU compare as integers. */
  created_at: number;
  expires_at: number;
  last_access_at: number;
  hits: Generated<number>;
}

export interface UsageLedgerTable {
  call_id: string;
  status: string;
  job_id: string | null;
  scope: string;
  provider: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_micros: number | null;
  cached: number;
  ts: string;
}

/** Each UTC day's quota spending (migration 0003): kept by triggers on usage_ledger, never written directly. */
export interface UsageDailyTable {
  day: string;
  cost_micros: number;
}

/** Process-independent counters (cache hits/misses, retries) so every CLI run and the daemon add up. */
export interface CountersTable {
  name: string;
  value: number;
}

export interface Database {
  jobs: JobsTable;
  events: EventsTable;
  snapshots: SnapshotsTable;
  artifacts: ArtifactsTable;
  idempotency_keys: IdempotencyKeysTable;
  cache_entries: CacheEntriesTable;
  usage_ledger: UsageLedgerTable;
  usage_daily: UsageDailyTable;
  counters: CountersTable;
}
