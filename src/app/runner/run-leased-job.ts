import { type ErrorCode, GromptError, isGromptError, toGromptError } from "../../core/domain/errors";
import { type Job, type JobFailure, type PromptPurpose, isTerminal } from "../../core/domain/job";
import type { JobEvent } from "../../core/domain/job-events";
import type { JobStateEvent } from "../../core/domain/job-state-machine";
import type { LoggerPort } from "../../core/ports/logger-port";
import { type QueueLease, type QueuePort, priorityFor } from "../../core/ports/queue-port";
import type { StorePort } from "../../core/ports/store-port";
import type { JobSignals } from "../jobs/job-signals";
import { createJobContext } from "./job-context";
import type { JobHandler, JobOutcome } from "./job-handler";

export interface LeasedJobDeps {
  store: StorePort;
  queue: QueuePort;
  signals: JobSignals;
  logger: LoggerPort;
  handlers: Partial<Record<PromptPurpose, JobHandler>>;
  leaseMs: number;
  /** A job whose runs were cut short (crash, kill, shutdown) this many times is failed instead of started again. */
  maxStarts: number;
  /** Aborted with a GromptError whose code says why: canceled, lease_lost or interrupted (shutdown). */
  controller: AbortController;
  /** Jobs of a purpose this runner has no handler for: how often to look again, how long they may wait. */
  unhandled: UnhandledPolicy;
}

export interface UnhandledPolicy {
  /** The job goes back to the queue, claimable again after this long. */
  retryMs: number;
  /** A job no runner could handle this long after its creation fails. */
  graceMs: number;
  /** Jobs this runner already said it cannot run (one `waiting-for-handler` event per runner). */
  noticed: Set<string>;
}

/** Runs one claimed job to its end (or hands it back), keeping its lease alive meanwhile. */
export async function runLeasedJob(claimed: QueueLease, deps: LeasedJobDeps): Promise<void> {
  const { store, queue, controller } = deps;
  let lease = claimed;
  const stored = await store.getJob(lease.entry.jobId);
  if (stored === undefined || isTerminal(stored.state)) {
    // A stray entry, or a crash between the job's final commit and the queue's completion.
    await queue.complete(lease).catch(ignoreLeaseLost);
    return;
  }
  const logger = deps.logger.child({ job_id: stored.id, session_id: stored.sessionId, purpose: stored.promptPurpose });
  const end = async (event: JobStateEvent, from: Job["state"]) => {
    await store.transitionJob(stored.id, { from, event }).then(
      () => deps.signals.eventsAppended(stored.id),
      ignoreEnded,
    );
    await queue.complete(lease).catch(ignoreLeaseLost);
  };

  if (stored.cancelRequested === true) return end({ type: "cancel", reason: "Canceled before it started." }, stored.state);
  const handler = deps.handlers[stored.promptPurpose];
  if (handler === undefined) return waitForHandler();
  const starts = (stored.attempts ?? 0) + 1;
  // Earlier runs that neither ended the job nor failed into a retry were cut short (crash, kill, shutdown).
  const cutShort = (stored.attempts ?? 0) - lease.entry.attempts;
  if (cutShort >= deps.maxStarts) {
    const message = `The job was cut short ${cutShort} times (its worker stopped or crashed); it is not started again`;
    return end({ type: "fail", error: failure("job_failed", message) }, stored.state);
  }
  const resumed: JobEvent[] =
    starts > 1 || lease.entry.attempts > 0
      ? [{ type: "job-resumed", attempt: starts, state: stored.state, reason: lease.entry.attempts > 0 ? "retry after a failed attempt" : "its previous run was cut short" }]
      : [];
  let job: Job;
  try {
    job = await store.updateJob(stored.id, { attempts: starts }, resumed);
  } catch (error) {
    // Canceled (or ended) between the read above and now: nothing left to run.
    if (!isGromptError(error) || error.code !== "invalid_transition") throw error;
    await queue.complete(lease).catch(ignoreLeaseLost);
    return;
  }

  const ctx = createJobContext(job, { store, signals: deps.signals, logger, signal: controller.signal });
  const heartbeat = startHeartbeat();
  const stopListening = deps.signals.on("cancel-requested", (id) => {
    if (id === job.id) controller.abort(new GromptError("canceled", "The job was canceled."));
  });
  const started = Date.now();
  logger.info({ attempt: starts, state: job.state }, resumed.length > 0 ? "job resumed" : "job started");
  let outcome: JobOutcome | undefined;
  let thrown: unknown;
  try {
    outcome = await handler(ctx);
  } catch (error) {
    thrown = error;
  }
  await heartbeat.stop();
  stopListening();
  if (controller.signal.aborted) return settleFailure(controller.signal.reason, ctx.currentState());
  if (outcome === undefined) return settleFailure(thrown, ctx.currentState());
  try {
    await store.transitionJob(job.id, {
      from: ctx.currentState(),
      event: { type: "advance", to: "done" },
      update: { result: outcome.result, usage: outcome.usage, costMicros: outcome.costMicros },
    });
  } catch (error) {
    return settleFailure(error, ctx.currentState());
  }
  deps.signals.eventsAppended(job.id);
  await queue.complete(lease).catch(ignoreLeaseLost);
  logger.info({ ms: Date.now() - started }, "job done");

  async function settleFailure(reason: unknown, state: Job["state"]): Promise<void> {
    const error = toGromptError(reason);
    if (error.code === "lease_lost") {
      logger.warn({}, "lease lost: another worker owns the job now");
      return;
    }
    if (isTerminal(state)) {
      await queue.complete(lease).catch(ignoreLeaseLost);
      return;
    }
    if (error.code === "interrupted") {
      await note({ type: "job-released", reason: "the worker is shutting down" });
      await queue.release(lease).catch(ignoreLeaseLost);
      logger.info({ state }, "job released for later");
      return;
    }
    if (error.code === "canceled") {
      logger.info({ state }, "job canceled");
      return end({ type: "cancel", reason: error.message }, state);
    }
    if (error.retryable && requeueable.has(error.code)) {
      const verdict = await queue.fail(lease, `${error.code}: ${error.message}`).catch(ignoreLeaseLost);
      if (verdict === undefined) return logger.warn({}, "lease lost while failing: another worker owns the job now");
      if (verdict === "retry") {
        await note({ type: "job-released", reason: `will retry after ${error.code}: ${error.message}` });
        logger.warn({ code: error.code, attempt: lease.entry.attempts + 1 }, "job failed, will retry");
        return;
      }
    }
    logger.error({ code: error.code, err: error }, "job failed");
    await store.transitionJob(job.id, { from: state, event: { type: "fail", error: error.toFailure() } }).then(
      () => deps.signals.eventsAppended(job.id),
      ignoreEnded,
    );
    await queue.complete(lease).catch(ignoreLeaseLost);
  }

  /**
   * No handler here for this purpose: another runner sharing the queue may have one (a newer grompt,
   * a worker), so the job goes back to the queue for a while instead of failing at once — with one
   * event saying why it waits — and fails only when nobody ran it within the grace period.
   */
  async function waitForHandler(): Promise<void> {
    const job = stored as Job;
    const purpose = job.promptPurpose;
    const waitedMs = Date.now() - Date.parse(job.createdAt);
    if (waitedMs >= deps.unhandled.graceMs) {
      const minutes = Math.round(deps.unhandled.graceMs / 60_000);
      const message = `No runner able to run ${purpose} jobs picked this job up within ${minutes} minute(s)`;
      deps.unhandled.noticed.delete(job.id);
      logger.warn({ waitedMs }, message);
      return end({ type: "fail", error: { code: "job_failed", message, hint: `Run it with a grompt that has a ${purpose} handler (\`grompt serve\` of a newer version, or its CLI command), then submit it again.` } }, job.state);
    }
    if (!deps.unhandled.noticed.has(job.id)) {
      deps.unhandled.noticed.add(job.id);
      const message = `This grompt has no handler for ${purpose} jobs; the job waits for a runner that has one`;
      logger.warn({ purpose }, message);
      await store.appendEvents(job.id, [{ type: "job-progressed", step: "waiting-for-handler", message, data: { purpose, graceMs: deps.unhandled.graceMs } }]).then(
        () => deps.signals.eventsAppended(job.id),
        ignoreEnded,
      );
    }
    // Complete, then enqueue delayed: a crash in between leaves a queued job with no entry, which
    // the next runner's start-up reconciliation enqueues again.
    await queue.complete(lease).catch(ignoreLeaseLost);
    await queue.enqueue(job.id, { priority: priorityFor(purpose), notBefore: new Date(Date.now() + deps.unhandled.retryMs).toISOString() });
  }

  /** Records a hand-back; a job that ended meanwhile takes no more events, which is fine. */
  async function note(event: JobEvent): Promise<void> {
    await store.appendEvents(job.id, [event]).then(
      () => deps.signals.eventsAppended(job.id),
      ignoreEnded,
    );
  }

  /** Renews the lease and, for other processes' cancel requests, re-reads the job. */
  function startHeartbeat(): { stop(): Promise<void> } {
    let beating: Promise<void> | undefined;
    const beat = async () => {
      try {
        lease = await queue.heartbeat(lease, deps.leaseMs);
        const current = await store.getJob(lease.entry.jobId);
        if (current?.cancelRequested === true) controller.abort(new GromptError("canceled", "The job was canceled."));
      } catch (error) {
        if (isGromptError(error) && error.code === "lease_lost") controller.abort(error);
        else deps.logger.warn({ err: error, job_id: lease.entry.jobId }, "heartbeat failed; retrying at the next beat");
      }
    };
    const timer = setInterval(() => {
      beating ??= beat().finally(() => (beating = undefined));
    }, Math.max(100, Math.floor(deps.leaseMs / 3)));
    return {
      async stop() {
        clearInterval(timer);
        await beating;
      },
    };
  }
}

const failure = (code: JobFailure["code"], message: string): JobFailure => ({ code, message });

/**
 * Retryable failures of grompt's own infrastructure go back to the queue with backoff. Provider
 * failures do not: the provider layer already retried them (DESIGN.md §8), so they end the job.
 */
const requeueable: ReadonlySet<ErrorCode> = new Set(["store_unavailable", "queue_unavailable", "io_error"]);

/** The job ended (canceled or finished elsewhere) before this write: nothing to do. */
function ignoreEnded(error: unknown): undefined {
  if (isGromptError(error) && error.code === "invalid_transition") return undefined;
  throw error;
}

function ignoreLeaseLost(error: unknown): undefined {
  if (isGromptError(error) && error.code === "lease_lost") return undefined;
  throw error;
}
