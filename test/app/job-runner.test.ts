import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileSpoolQueue } from "../../src/adapters/queue/file-spool/file-spool-queue";
import { GromptError } from "../../src/core/domain/errors";
import { isTerminal } from "../../src/core/domain/job";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { type Engine, craftRequest, makeEngine, refactorRequest, waitFor, walkingHandler } from "../support/engine";

let engine: Engine;
afterEach(async () => engine.close());

const types = async (jobId: string) => (await engine.store.listEvents(jobId)).map((e) => e.event.type);
const ended = (jobId: string) =>
  waitFor(async () => {
    const job = await engine.store.getJob(jobId);
    return job !== undefined && isTerminal(job.state) ? job : undefined;
  });
/** A handler that advances once and then waits until its signal aborts. */
const blockingHandler = (entered: string[]): JobHandler => async (ctx) => {
  await ctx.advance("snapshotting");
  entered.push(ctx.job.id);
  await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
  return { result: {} };
};

describe("job runner", () => {
  it("runs an evolve job through every state to done, storing events, usage and result", async () => {
    engine = await makeEngine();
    const runner = engine.runner({ refactor: walkingHandler });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    const done = await ended(job.id);
    expect(done).toMatchObject({ state: "done", result: { ok: true }, usage: { total: 5 }, costMicros: 7, attempts: 1 });
    expect(await types(job.id)).toEqual([
      "job-created",
      "state-changed",
      "job-progressed",
      "state-changed",
      "job-progressed",
      "state-changed",
      "job-progressed",
      "state-changed",
      "job-completed",
    ]);
    await runner.idle();
    expect(await engine.queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
  });

  it("is woken by an enqueue in its own process instead of waiting for a poll", async () => {
    engine = await makeEngine();
    const runner = engine.runner({ craft: walkingHandler }, { pollMs: 60_000 });
    await runner.start();
    const { job } = await engine.jobs.create(craftRequest);
    expect((await ended(job.id)).state).toBe("done");
  });

  it("runs craft jobs before refactor jobs queued earlier", async () => {
    engine = await makeEngine();
    const order: string[] = [];
    const recording: JobHandler = async (ctx) => {
      order.push(ctx.job.promptPurpose);
      return walkingHandler(ctx);
    };
    await engine.jobs.create(refactorRequest);
    await engine.jobs.create(refactorRequest);
    await engine.jobs.create(craftRequest);
    const runner = engine.runner({ craft: recording, refactor: recording }, { config: { queue: { leaseMs: 1_000, concurrency: 1, maxAttempts: 3 } } });
    await runner.start();
    await runner.idle();
    expect(order).toEqual(["craft", "refactor", "refactor"]);
  });

  it("ends a job in error with the handler's GromptError and a job-failed event", async () => {
    engine = await makeEngine();
    const runner = engine.runner({
      refactor: async (ctx) => {
        await ctx.advance("snapshotting");
        throw new GromptError("secret_detected", "a key in .env", { hint: "remove it" });
      },
    });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    const failed = await ended(job.id);
    expect(failed).toMatchObject({ state: "error", error: { code: "secret_detected", message: "a key in .env", hint: "remove it" } });
    expect((await types(job.id)).slice(-1)).toEqual(["job-failed"]);
    await runner.idle();
    expect(await engine.queue.has(job.id)).toBe(false);
  });

  it("retries a retryable infrastructure failure with backoff, resuming the handler from the start", async () => {
    engine = await makeEngine();
    let runs = 0;
    const runner = engine.runner({
      refactor: async (ctx) => {
        runs += 1;
        await ctx.advance("snapshotting");
        await ctx.advance("prompting");
        if (runs === 1) throw new GromptError("store_unavailable", "database busy", { retryable: true });
        return walkingHandler(ctx);
      },
    });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    expect((await ended(job.id)).state).toBe("done");
    expect(runs).toBe(2);
    const events = await engine.store.listEvents(job.id);
    const moves = events.flatMap((e) => (e.event.type === "state-changed" ? [e.event.to] : []));
    expect(moves).toEqual(["snapshotting", "prompting", "diffing", "done"]);
    expect(events.map((e) => e.event.type)).toContain("job-resumed");
    expect(events.find((e) => e.event.type === "job-released")?.event).toMatchObject({ reason: expect.stringContaining("store_unavailable") });
  });

  it("does not count retries after failures as runs cut short", async () => {
    engine = await makeEngine();
    let runs = 0;
    const flaky: JobHandler = async (ctx) => {
      runs += 1;
      if (runs < 3) throw new GromptError("io_error", "disk hiccup", { retryable: true });
      return walkingHandler(ctx);
    };
    const runner = engine.runner({ craft: flaky }, { maxStarts: 1 });
    await runner.start();
    const { job } = await engine.jobs.create(craftRequest);
    expect(await ended(job.id)).toMatchObject({ state: "done", attempts: 3 });
  });

  it("fails the job once a retryable failure has used every attempt", async () => {
    engine = await makeEngine({ maxAttempts: 2 });
    const runner = engine.runner({ craft: async () => Promise.reject(new GromptError("store_unavailable", "database busy", { retryable: true })) });
    await runner.start();
    const { job } = await engine.jobs.create(craftRequest);
    expect((await ended(job.id)).error).toEqual({ code: "store_unavailable", message: "database busy" });
    expect((await engine.queue.stats()).dead).toBe(1);
  });

  it("ends a job on a provider failure at once: the provider layer already retried it", async () => {
    engine = await makeEngine();
    let runs = 0;
    const runner = engine.runner({
      craft: async () => {
        runs += 1;
        throw new GromptError("rate_limited", "429 after 3 attempts", { hint: "Retry later or lower concurrency." });
      },
    });
    await runner.start();
    const { job } = await engine.jobs.create(craftRequest);
    expect((await ended(job.id)).error).toEqual({ code: "rate_limited", message: "429 after 3 attempts", hint: "Retry later or lower concurrency." });
    expect(runs).toBe(1);
  });

  it("fails a job whose handler returns before reaching the end of its path", async () => {
    engine = await makeEngine();
    const runner = engine.runner({ refactor: async () => ({ result: {} }) });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    expect((await ended(job.id)).error?.code).toBe("invalid_transition");
  });

  it("leaves a job of a purpose it has no handler for queued, says so once, and lets a runner with one run it", async () => {
    engine = await makeEngine();
    const first = engine.runner({ craft: walkingHandler }, { unhandledRetryMs: 30 });
    await first.start();
    const { job } = await engine.jobs.create({ ...craftRequest, purpose: "summarize" });
    await waitFor(async () => (await types(job.id)).includes("job-progressed"));
    // Several more looks at it: still queued, still one notice, and the queue is not spun on.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await engine.store.getJob(job.id))?.state).toBe("queued");
    const notices = (await engine.store.listEvents(job.id)).filter((e) => e.event.type === "job-progressed");
    expect(notices.map((e) => e.event)).toEqual([
      { type: "job-progressed", step: "waiting-for-handler", message: expect.stringContaining("no handler for summarize jobs"), data: { purpose: "summarize", graceMs: 900_000 } },
    ]);
    expect(await engine.queue.has(job.id)).toBe(true);
    await first.stop();
    const second = engine.runner({ summarize: walkingHandler });
    await second.start();
    expect((await ended(job.id)).state).toBe("done");
  });

  it("fails a job no runner could handle within the grace period, naming its purpose", async () => {
    engine = await makeEngine();
    const runner = engine.runner({ craft: walkingHandler }, { unhandledRetryMs: 20, unhandledGraceMs: 150 });
    await runner.start();
    const { job } = await engine.jobs.create({ ...craftRequest, purpose: "summarize" });
    const failed = await ended(job.id);
    expect(failed.error).toMatchObject({ code: "job_failed", message: expect.stringContaining("summarize jobs"), hint: expect.stringContaining("summarize handler") });
    expect(Date.parse(failed.finishedAt ?? "") - Date.parse(failed.createdAt)).toBeGreaterThanOrEqual(150);
    await runner.idle();
    expect(await engine.queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
  });

  it("cancels a running job at once from the same process", async () => {
    engine = await makeEngine();
    const entered: string[] = [];
    const runner = engine.runner({ refactor: blockingHandler(entered) });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    await waitFor(async () => entered.includes(job.id));
    expect((await engine.jobs.cancel(job.id, { reason: "changed my mind" })).outcome).toBe("requested");
    const canceled = await ended(job.id);
    expect(canceled.error).toEqual({ code: "canceled", message: "The job was canceled." });
    expect((await types(job.id)).slice(-3)).toEqual(["cancel-requested", "state-changed", "job-failed"]);
    await runner.idle();
    expect(await engine.queue.has(job.id)).toBe(false);
  });

  it("notices a cancel requested by another process at its next heartbeat", async () => {
    engine = await makeEngine();
    const entered: string[] = [];
    const runner = engine.runner({ refactor: blockingHandler(entered) });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    await waitFor(async () => entered.includes(job.id));
    // Written straight to the store: no in-process signal reaches the runner.
    await engine.store.updateJob(job.id, { cancelRequested: true }, [{ type: "cancel-requested" }]);
    expect((await ended(job.id)).error?.code).toBe("canceled");
  });

  it("cancels a queued job at once and takes it off the queue", async () => {
    engine = await makeEngine();
    const { job } = await engine.jobs.create(refactorRequest);
    const result = await engine.jobs.cancel(job.id);
    expect(result.outcome).toBe("canceled");
    expect(result.job).toMatchObject({ state: "error", error: { code: "canceled" } });
    expect(await engine.queue.has(job.id)).toBe(false);
    await expect(engine.jobs.cancel(job.id)).rejects.toMatchObject({ code: "invalid_transition" });
    await expect(engine.jobs.cancel("nope")).rejects.toMatchObject({ code: "not_found" });
  });

  it("hands running jobs back on shutdown, and a new runner resumes them where they stood", async () => {
    engine = await makeEngine();
    const entered: string[] = [];
    const first = engine.runner({ refactor: blockingHandler(entered) });
    await first.start();
    const { job } = await engine.jobs.create(refactorRequest);
    await waitFor(async () => entered.includes(job.id));
    await first.stop();
    expect(await engine.store.getJob(job.id)).toMatchObject({ state: "snapshotting" });
    expect((await types(job.id)).slice(-1)).toEqual(["job-released"]);
    expect(await engine.queue.stats()).toMatchObject({ ready: 1, leased: 0 });

    const second = engine.runner({ refactor: walkingHandler });
    await second.start();
    expect((await ended(job.id)).attempts).toBe(2);
    const events = await engine.store.listEvents(job.id);
    expect(events.filter((e) => e.event.type === "state-changed" && e.event.to === "snapshotting")).toHaveLength(1);
    expect(events.find((e) => e.event.type === "job-resumed")?.event).toMatchObject({ attempt: 2, state: "snapshotting" });
  });

  it("stops a run whose lease another worker took over, and leaves the job to that worker", async () => {
    engine = await makeEngine();
    const reasons: unknown[] = [];
    let runs = 0;
    const runner = engine.runner({
      refactor: async (ctx) => {
        runs += 1;
        if (runs === 1) {
          await ctx.advance("snapshotting");
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          reasons.push(ctx.signal.reason);
          throw ctx.signal.reason;
        }
        return walkingHandler(ctx);
      },
    });
    await runner.start();
    const { job } = await engine.jobs.create(refactorRequest);
    await waitFor(async () => (await engine.store.getJob(job.id))?.state === "snapshotting");
    // Another process whose clock says the lease expired takes the entry back.
    const later = createFileSpoolQueue({ dir: join(engine.home, "queue"), maxAttempts: 3, clock: () => Date.now() + 60_000 });
    expect(await later.reclaimExpired()).toBe(1);
    expect((await ended(job.id)).state).toBe("done");
    await waitFor(async () => reasons.length > 0);
    expect(reasons).toEqual([expect.objectContaining({ code: "lease_lost" })]);
    const events = await engine.store.listEvents(job.id);
    expect(events.filter((e) => e.event.type === "job-failed")).toHaveLength(0);
    expect(events.filter((e) => e.event.type === "job-resumed")).toHaveLength(1);
  });

  it("re-enqueues on start an unfinished job the spool lost", async () => {
    engine = await makeEngine();
    const { job } = await engine.jobs.create(refactorRequest);
    await engine.queue.remove(job.id);
    expect(await engine.queue.has(job.id)).toBe(false);
    const runner = engine.runner({ refactor: walkingHandler });
    await runner.start();
    expect((await ended(job.id)).state).toBe("done");
  });

  it("fails a job cut short too many times instead of starting it again", async () => {
    engine = await makeEngine();
    const { job } = await engine.jobs.create(craftRequest);
    await engine.store.updateJob(job.id, { attempts: 3 });
    const runner = engine.runner({ craft: walkingHandler }, { maxStarts: 3 });
    await runner.start();
    expect((await ended(job.id)).error).toMatchObject({ code: "job_failed", message: expect.stringContaining("cut short 3 times") });
  });
});
