import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { GromptError } from "../../core/domain/errors";
import { type PromptPurpose, isTerminal } from "../../core/domain/job";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { MeteringPort } from "../../core/ports/metering-port";
import type { QueueLease, QueuePort } from "../../core/ports/queue-port";
import type { StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { type JobSignals, createJobSignals } from "../jobs/job-signals";
import type { JobHandler } from "./job-handler";
import { reconcileQueue } from "./reconcile-queue";
import { type LeasedJobDeps, runLeasedJob } from "./run-leased-job";

export interface JobRunnerDeps {
  store: StorePort;
  queue: QueuePort;
  logger: LoggerPort;
  handlers: Partial<Record<PromptPurpose, JobHandler>>;
  /** `queue.leaseMs`, `queue.concurrency`. */
  config: Pick<GromptConfig, "queue">;
  /** Shared with the use cases, so an enqueue or a cancel in this process reaches the runner at once. */
  signals?: JobSignals;
  /** How often to look for work enqueued by other processes (ms, default 1000). */
  pollMs?: number;
  /** A job cut short this many times (crashes, lost leases) is failed instead of started again (default 10). */
  maxStarts?: number;
  workerId?: string;
  /** A span per job run (the queue hand-off) and the job's latency when a run ends it. */
  metering?: Pick<MeteringPort, "span" | "jobFinished">;
  /** A job of a purpose with no handler here is looked at again after this long (ms, default 30 s)... */
  unhandledRetryMs?: number;
  /** ...and failed once this long has passed since its creation (ms, default 15 min). */
  unhandledGraceMs?: number;
  /**
   * True while the process has more urgent work — `grompt serve` under a flood of job submissions:
   * answering them comes first, so new jobs start at most one per `busyClaimMs` until it is false
   * again (jobs already running carry on). Admission before execution: the backlog waits in the
   * durable queue, not in the HTTP edge.
   */
  busy?: () => boolean;
  /** While `busy()`: the least time between two job starts (ms, default 100). */
  busyClaimMs?: number;
}

export interface JobRunner {
  /** Returns expired leases to the queue, re-enqueues what the store says is unfinished, then claims jobs. */
  start(): Promise<void>;
  /** Stops claiming; running jobs are aborted and handed back (`job-released`) to resume later. */
  stop(): Promise<void>;
  /** Claims now rather than at the next poll. */
  wake(): void;
  /** Resolves once nothing runs and nothing is claimable right now. */
  idle(): Promise<void>;
  /** Jobs running in this runner now. */
  running(): number;
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { store, queue, config } = deps;
  const logger = deps.logger.child({ component: "runner" });
  const signals = deps.signals ?? createJobSignals();
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const pollMs = deps.pollMs ?? 1_000;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const idleWaiters: (() => void)[] = [];
  let state: "new" | "started" | "stopping" | "stopped" = "new";
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let queueEmpty = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let lastReclaim = 0;
  let lastClaim = 0;
  let deferred: NodeJS.Timeout | undefined;
  const busyClaimMs = deps.busyClaimMs ?? 100;
  const unhandled = { retryMs: deps.unhandledRetryMs ?? 30_000, graceMs: deps.unhandledGraceMs ?? 15 * 60_000, noticed: new Set<string>() };

  /** One leased job, inside a span that starts where the queue hands it over. */
  const run = (lease: QueueLease, handlerDeps: LeasedJobDeps): Promise<void> => {
    const { metering } = deps;
    if (metering === undefined) return runLeasedJob(lease, handlerDeps);
    const started = new Date().toISOString();
    const attributes = {
      "grompt.job_id": lease.entry.jobId,
      "grompt.queue.wait_ms": Math.max(0, Date.now() - Date.parse(lease.entry.enqueuedAt)),
      "grompt.queue.attempts": lease.entry.attempts,
      "grompt.worker_id": workerId,
    };
    return metering.span(
      "job.run",
      attributes,
      async (span) => {
        await runLeasedJob(lease, handlerDeps);
        const job = await store.getJob(lease.entry.jobId);
        if (job === undefined) return;
        span.setAttributes({ "grompt.purpose": job.promptPurpose, "grompt.state": job.state });
        // Counted by the run that ended the job, once.
        if (isTerminal(job.state) && job.finishedAt !== undefined && job.finishedAt >= started) {
          const seconds = (Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000;
          metering.jobFinished({ purpose: job.promptPurpose, provider: job.provider, model: job.model, state: job.state }, seconds);
        }
      },
      { kind: "consumer" },
    );
  };

  const settleIdle = () => {
    if (running.size > 0 || pumping !== undefined || (state === "started" && !queueEmpty)) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  /** Under a flood, a start waits for its turn; true when it must wait (a pump is then scheduled). */
  const mustYield = (): boolean => {
    if (deps.busy?.() !== true) return false;
    const waitMs = lastClaim + busyClaimMs - performance.now();
    if (waitMs <= 0) return false;
    deferred ??= setTimeout(() => {
      deferred = undefined;
      pump();
    }, waitMs);
    return true;
  };

  const claimMore = async (): Promise<void> => {
    while (state === "started" && running.size < config.queue.concurrency) {
      if (mustYield()) return;
      const lease = await queue.claim(workerId, config.queue.leaseMs);
      if (lease === undefined) {
        queueEmpty = true;
        return;
      }
      lastClaim = performance.now();
      queueEmpty = false;
      const controller = new AbortController();
      const handlerDeps = { ...deps, signals, logger: deps.logger, leaseMs: config.queue.leaseMs, maxStarts: deps.maxStarts ?? 10, controller, unhandled };
      const done = run(lease, handlerDeps)
        .catch((error: unknown) => logger.error({ err: error, job_id: lease.entry.jobId }, "the runner could not finish a job; it resumes later"))
        .finally(() => {
          running.delete(lease.leaseId);
          pump();
        });
      running.set(lease.leaseId, { controller, done });
    }
  };

  /** One claim loop at a time; a wake-up during a loop runs another one after it. */
  const pump = (): void => {
    if (state !== "started") return settleIdle();
    if (pumping !== undefined) {
      pumpAgain = true;
      return;
    }
    pumping = claimMore()
      .catch((error: unknown) => logger.error({ err: error }, "claiming from the queue failed; retrying at the next poll"))
      .finally(() => {
        pumping = undefined;
        if (pumpAgain) {
          pumpAgain = false;
          pump();
        } else settleIdle();
      });
  };

  const poll = async () => {
    // Other processes' dead leases are looked for about once per lease period.
    if (Date.now() - lastReclaim >= config.queue.leaseMs) {
      lastReclaim = Date.now();
      await queue.reclaimExpired().catch((error: unknown) => logger.warn({ err: error }, "reclaiming expired leases failed"));
    }
    pump();
  };

  return {
    async start() {
      if (state !== "new") throw new GromptError("internal", "A job runner can only be started once.");
      lastReclaim = Date.now();
      const reclaimed = await queue.reclaimExpired();
      const requeued = await reconcileQueue({ store, queue });
      if (reclaimed + requeued > 0) logger.info({ reclaimed, requeued }, "recovered unfinished jobs");
      state = "started";
      unsubscribe = signals.on("enqueued", () => pump());
      pollTimer = setInterval(() => void poll(), pollMs);
      pump();
    },
    async stop() {
      if (state !== "started") return;
      state = "stopping";
      clearInterval(pollTimer);
      clearTimeout(deferred);
      unsubscribe?.();
      await pumping;
      for (const { controller } of running.values()) {
        controller.abort(new GromptError("interrupted", "grompt is shutting down; the job resumes later."));
      }
      await Promise.all([...running.values()].map((job) => job.done));
      state = "stopped";
      settleIdle();
    },
    wake: () => pump(),
    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        if (state === "started") pump();
        else settleIdle();
      });
    },
    running: () => running.size,
  };
}
