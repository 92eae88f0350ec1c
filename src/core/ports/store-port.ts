import type { Job, JobState, PromptPurpose } from "../domain/job";
import type { JobEvent, JobEventRecord } from "../domain/job-events";
import type { JobStateEvent } from "../domain/job-state-machine";
import type { FinishedJobSample, UsageTotal } from "./metering-port";
import type { GenUsage, ProviderId } from "./provider-port";

export interface NewJob {
  id: string;
  sessionId: string;
  provider: ProviderId;
  model: string;
  promptPurpose: PromptPurpose;
  input?: Record<string, unknown>;
  createdAt: string;
}

/** An Idempotency-Key claimed together with the job it creates. */
export interface IdempotencyClaim {
  /** Keys are scoped (by token on the daemon, "cli" for the CLI). */
  scope: string;
  key: string;
  /** sha256 of the canonical request body. */
  fingerprint: string;
  expiresAt: string;
}

export interface CreateJobOutcome {
  job: Job;
  /** False when an existing, unexpired key with the same fingerprint returned its original job. */
  created: boolean;
}

export interface JobListQuery {
  states?: JobState[];
  purposes?: PromptPurpose[];
  sessionId?: string;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface JobPage {
  jobs: Job[];
  nextCursor?: string;
}

/** Fields a runner may set on a job besides its state. */
export interface JobUpdate {
  usage?: GenUsage;
  costMicros?: number | null;
  result?: Record<string, unknown>;
  cancelRequested?: boolean;
  attempts?: number;
}

export interface JobTransition {
  /** The state the caller believes the job is in; the move fails if the store disagrees. */
  from: JobState;
  event: JobStateEvent;
  update?: JobUpdate;
  /** Extra events committed with the move, after its `state-changed` event (never the final event: the store adds it). */
  events?: JobEvent[];
}

export interface ArtifactRecord {
  jobId: string;
  /** File name shown to users: `changes.patch`, `snapshot.zip`, `report.json`, ... */
  name: string;
  kind: string;
  storageUrl: string;
  sha256: string;
  bytes: number;
  contentType: string;
  createdAt: string;
}

export interface SnapshotRecord {
  jobId: string;
  snapshotId: string;
  storageUrl: string;
  bytes: number;
  sha256: string;
  files: number;
  createdAt: string;
}

/** One provider call as billed (or reserved, for quotas). */
export interface UsageEntry {
  callId: string;
  jobId?: string;
  scope: string;
  provider: string;
  model: string;
  usage: GenUsage;
  costMicros: number | null;
  cached: boolean;
  /** `reserved` holds quota before a call; `settled` is the real usage after it. */
  status: "reserved" | "settled";
  ts: string;
}

/** A stored Idempotency-Key and the job it created. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  fingerprint: string;
  jobId: string;
  expiresAt: string;
}

/** Usage limits checked together (and with a reservation, when one is given) in one transaction. */
export interface UsageLimitCheck {
  now: string;
  /** The cost of every scope since `since` may not pass `maxCostMicros` (the daily quota). */
  cost?: { since: string; maxCostMicros: number };
  /** One scope's tokens within the last `windowMs` may not pass `maxTokens` (tokens per minute). */
  tokens?: { scope: string; windowMs: number; maxTokens: number };
}

export type UsageLimitVerdict =
  | { ok: true }
  | { ok: false; limit: "cost"; spentMicros: number; maxCostMicros: number }
  /** `retryAfterMs`: when enough of the window's tokens have aged out for the request to fit. */
  | { ok: false; limit: "tokens"; usedTokens: number; maxTokens: number; retryAfterMs: number };

/** A job that ended, with what the metrics need. */
export interface FinishedJobRecord extends FinishedJobSample {
  id: string;
  finishedAt: string;
}

export interface StorePort {
  /** Creates the job, its `job-created` event and the idempotency key (if any) in one transaction. */
  createJob(job: NewJob, idempotency?: IdempotencyClaim): Promise<CreateJobOutcome>;
  /** The job, or undefined when no job has that id. */
  getJob(id: string): Promise<Job | undefined>;
  /** Newest first, filtered, paginated by cursor. */
  listJobs(query?: JobListQuery): Promise<JobPage>;
  /**
   * Compare-and-set state change through the FSM (`invalid_transition` when the stored state is not
   * `from`, or the move is illegal). The move, the update, its `state-changed` event, the extra
   * events and — on a terminal move — the final `job-completed` / `job-failed` event commit together.
   */
  transitionJob(id: string, change: JobTransition): Promise<{ job: Job; events: JobEventRecord[] }>;
  /** Sets non-state fields (usage, result, cancel flag, attempts), with events in the same transaction. */
  updateJob(id: string, update: JobUpdate, events?: JobEvent[]): Promise<Job>;
  /** Appends events with the next per-job `seq` numbers; refused (`invalid_transition`) once the job ended. */
  appendEvents(jobId: string, events: JobEvent[]): Promise<JobEventRecord[]>;
  /** Events in `seq` order, after `afterSeq` when given. */
  listEvents(jobId: string, options?: { afterSeq?: number; limit?: number }): Promise<JobEventRecord[]>;
  /** Records the snapshot a job took. */
  recordSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /** Records an artifact stored in the blob store; a second artifact with the same name replaces the first. */
  recordArtifact(artifact: ArtifactRecord): Promise<void>;
  /** A job's artifacts, in creation order. */
  listArtifacts(jobId: string): Promise<ArtifactRecord[]>;
  /** Adds or replaces (by callId and status) a usage ledger entry. */
  recordUsage(entry: UsageEntry): Promise<void>;
  /** Removes a reservation once the call settled or was abandoned. */
  releaseReservation(callId: string): Promise<void>;
  /** Records a call's settled usage and removes its reservation together (one transaction). */
  settleUsage?(entry: UsageEntry): Promise<void>;
  /** Sum of cost and tokens since an instant (settled plus outstanding reservations). */
  usageSince(since: string, scope?: string): Promise<{ costMicros: number; tokens: number; calls: number }>;
  /** Deletes idempotency keys past their expiry; returns how many. */
  deleteExpiredIdempotencyKeys(now: string): Promise<number>;
  /** How many jobs wait in `queued` (not started yet), for admission control. */
  countQueuedJobs?(): Promise<number>;
  /** The stored key (expired or not), or undefined; lets a replay be answered before any limit is checked. */
  findIdempotencyKey?(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Checks the limits against settled usage plus outstanding reservations and, when they allow it,
   * records `reservation` (status `reserved`) — atomically, so two processes cannot both take the last
   * of a quota. Without a reservation it only checks (a spent limit refuses).
   */
  reserveUsage?(check: UsageLimitCheck, reservation?: UsageEntry): Promise<UsageLimitVerdict>;
  /** Settled usage per provider and model since the beginning, cached answers excluded. */
  usageTotals?(): Promise<UsageTotal[]>;
  /**
   * Jobs finished at or after `since` (oldest first, `excludeIds` left out: those seen at exactly
   * `since`), at most `limit`. Finishing commits are serialized, so reading on from the last one seen
   * misses none.
   */
  finishedJobsSince?(since: string | undefined, excludeIds: readonly string[], limit: number): Promise<FinishedJobRecord[]>;
  /** Every persisted counter (cache hits and misses, provider retries), by name. */
  readCounters?(): Promise<Record<string, number>>;
  /** Adds to a persisted counter, creating it at zero. */
  bumpCounter?(name: string, by?: number): Promise<void>;
  /** Releases the connection. */
  close(): Promise<void>;
}
