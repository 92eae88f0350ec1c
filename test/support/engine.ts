import { join } from "node:path";
import { createPinoLogger } from "../../src/adapters/metering/pino-logger";
import { createFileSpoolQueue } from "../../src/adapters/queue/file-spool/file-spool-queue";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";
import type { JobState } from "../../src/core/domain/job";
import { pathFor } from "../../src/core/domain/job-state-machine";
import type { QueuePort } from "../../src/core/ports/queue-port";
import type { StorePort } from "../../src/core/ports/store-port";
import type { CreateJobRequest } from "../../src/app/jobs/create-job";
import { type JobSignals, createJobSignals } from "../../src/app/jobs/job-signals";
import { type JobUseCases, createJobUseCases } from "../../src/app/jobs/job-use-cases";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { type JobRunner, type JobRunnerDeps, createJobRunner } from "../../src/app/runner/job-runner";
import { makeTempDir } from "./temp-home";

/** Real store + spool + use cases on a temp home, wired as the container wires them. */
export interface Engine {
  home: string;
  store: StorePort;
  queue: QueuePort;
  signals: JobSignals;
  jobs: JobUseCases;
  runner(handlers: JobRunnerDeps["handlers"], options?: Partial<JobRunnerDeps>): JobRunner;
  close(): Promise<void>;
}

export async function makeEngine(options: { backoffMs?: number; maxAttempts?: number } = {}): Promise<Engine> {
  const temp = makeTempDir();
  const store = createSqliteStore(await openSqliteDatabase(join(temp.dir, "grompt.db")));
  const queue = createFileSpoolQueue({ dir: join(temp.dir, "queue"), maxAttempts: options.maxAttempts ?? 3, backoffMs: options.backoffMs ?? 20 });
  const signals = createJobSignals();
  const logger = createPinoLogger({ level: "silent" });
  const runners: JobRunner[] = [];
  return {
    home: temp.dir,
    store,
    queue,
    signals,
    jobs: createJobUseCases({ store, queue: () => queue, signals }),
    runner(handlers, extra = {}) {
      const runner = createJobRunner({
        store,
        queue,
        logger,
        signals,
        handlers,
        config: { queue: { leaseMs: 1_000, concurrency: 2, maxAttempts: options.maxAttempts ?? 3 } },
        pollMs: 50,
        ...extra,
      });
      runners.push(runner);
      return runner;
    },
    async close() {
      for (const runner of runners) await runner.stop();
      await store.close();
      temp.cleanup();
    },
  };
}

export const refactorRequest: CreateJobRequest = { purpose: "refactor", provider: "openai", model: "gpt-test", input: { instruction: "x" } };
export const craftRequest: CreateJobRequest = { purpose: "craft", provider: "anthropic", model: "claude-test", input: { ideas: ["a"] } };

/** A handler that walks the job's whole path with a progress event per state, then succeeds. */
export const walkingHandler: JobHandler = async (ctx) => {
  for (const state of pathFor(ctx.job.promptPurpose).slice(1, -1) as JobState[]) {
    await ctx.advance(state);
    await ctx.emit({ type: "job-progressed", step: state, message: `in ${state}` });
  }
  return { result: { ok: true }, usage: { prompt: 3, completion: 2, total: 5 }, costMicros: 7 };
};

/** Resolves when the predicate holds, polling every 10 ms; rejects after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
