import type { Job } from "../../core/domain/job";
import type { JobEventRecord } from "../../core/domain/job-events";
import type { QueuePort } from "../../core/ports/queue-port";
import type { ArtifactRecord, CreateJobOutcome, JobListQuery, JobPage, StorePort } from "../../core/ports/store-port";
import { type CancelJobResult, cancelJob } from "./cancel-job";
import { type CreateJobRequest, createJob } from "./create-job";
import { type FollowOptions, followJobEvents } from "./follow-job-events";
import type { JobOutbox } from "./job-outbox";
import type { JobSignals } from "./job-signals";
import { requireJob } from "./require-job";

export interface JobDetails {
  job: Job;
  artifacts: ArtifactRecord[];
  eventCount: number;
}

/** Everything the CLI and the server do with jobs, bound to one store, queue and signal bus. */
export interface JobUseCases {
  /** Creates and queues a job (idempotent with a key). */
  create(request: CreateJobRequest): Promise<CreateJobOutcome>;
  /** The job, or `not_found`. */
  get(jobId: string): Promise<Job>;
  /** The job with its artifacts and how many events it has. */
  show(jobId: string): Promise<JobDetails>;
  /** Newest first, filtered, by pages. */
  list(query?: JobListQuery): Promise<JobPage>;
  /** Stored events in order (`not_found` for an unknown job). */
  events(jobId: string, options?: { afterSeq?: number; limit?: number }): Promise<JobEventRecord[]>;
  /** Stored then live events, ending after the final one. */
  follow(jobId: string, options?: FollowOptions): AsyncGenerator<JobEventRecord>;
  /** Cancels a queued job at once, or asks a running job's runner to stop it. */
  cancel(jobId: string, options?: { reason?: string }): Promise<CancelJobResult>;
  /** Resolves once every job created so far is on the queue (with an outbox; at once without). */
  flush(): Promise<void>;
}

export interface JobUseCaseDeps {
  store: StorePort;
  /** Opened on first use: reading jobs never needs the spool. */
  queue: () => QueuePort;
  signals: JobSignals;
  /** Spool entries after the answer, batched off the main thread (the daemon): see job-outbox.ts. */
  outbox?: JobOutbox;
  clock?: () => Date;
}

export function createJobUseCases(deps: JobUseCaseDeps): JobUseCases {
  const { store } = deps;
  return {
    create: (request) => createJob(request, deps),
    get: (jobId) => requireJob(jobId, store),
    async show(jobId) {
      const job = await requireJob(jobId, store);
      const [artifacts, events] = await Promise.all([store.listArtifacts(jobId), store.listEvents(jobId)]);
      return { job, artifacts, eventCount: events.length };
    },
    list: (query) => store.listJobs(query),
    async events(jobId, options) {
      await requireJob(jobId, store);
      return store.listEvents(jobId, options);
    },
    follow: (jobId, options = {}) => followJobEvents(jobId, options, deps),
    cancel: (jobId, options = {}) => cancelJob(jobId, options, deps),
    flush: () => deps.outbox?.flush() ?? Promise.resolve(),
  };
}
