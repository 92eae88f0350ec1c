import type { PromptPurpose } from "../../core/domain/job";
import type { ProviderId } from "../../core/ports/provider-port";
import { type QueuePort, priorityFor } from "../../core/ports/queue-port";
import type { CreateJobOutcome, StorePort } from "../../core/ports/store-port";
import type { JobSignals } from "./job-signals";
import { ulidFactory } from "../ids/ulid-factory";
import type { JobOutbox } from "./job-outbox";

export interface CreateJobRequest {
  purpose: PromptPurpose;
  provider: ProviderId;
  model: string;
  /** What the job is asked to do (instruction, cwd, ideas, ...). */
  input?: Record<string, unknown>;
  /** Groups jobs of one conversation; a new id when absent. */
  sessionId?: string;
  /** An Idempotency-Key: a replay with the same fingerprint returns the first job. */
  idempotency?: { scope: string; key: string; fingerprint: string; ttlMs: number };
}

export interface CreateJobDeps {
  store: StorePort;
  /** Opened before anything is written, so an unusable spool leaves no job behind. */
  queue: () => QueuePort;
  signals: JobSignals;
  /** Given (the daemon): the answer waits for the job's commit only, its spool entry follows (job-outbox.ts). */
  outbox?: JobOutbox;
  clock?: () => Date;
  newId?: () => string;
}

const nextUlid = ulidFactory();

/**
 * Creates a job (with its first event and idempotency key, in one transaction) and queues it —
 * before resolving, or through the outbox just after when there is one.
 */
export async function createJob(request: CreateJobRequest, deps: CreateJobDeps): Promise<CreateJobOutcome> {
  const queue = deps.queue();
  const now = deps.clock?.() ?? new Date();
  const id = deps.newId?.() ?? nextUlid(now.getTime());
  const outcome = await deps.store.createJob(
    {
      id,
      sessionId: request.sessionId ?? id,
      provider: request.provider,
      model: request.model,
      promptPurpose: request.purpose,
      input: request.input,
      createdAt: now.toISOString(),
    },
    request.idempotency === undefined
      ? undefined
      : { ...request.idempotency, expiresAt: new Date(now.getTime() + request.idempotency.ttlMs).toISOString() },
  );
  // A crash right here leaves a queued job without an entry: the runner's reconciliation enqueues it.
  if (outcome.created && deps.outbox !== undefined) deps.outbox.add(outcome.job.id, priorityFor(outcome.job.promptPurpose));
  else if (outcome.created) {
    await queue.enqueue(outcome.job.id, { priority: priorityFor(outcome.job.promptPurpose) });
    deps.signals.enqueued(outcome.job.id);
  }
  return outcome;
}
