import { afterEach, describe, expect, it } from "vitest";
import { createFloodGauge } from "../../src/app/daemon/flood-gauge";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { type Engine, craftRequest, makeEngine, waitFor, walkingHandler } from "../support/engine";

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe("runner under a flood of submissions (admission before execution)", () => {
  it("starts at most one job per busyClaimMs while busy, and all of them at once when it is not", async () => {
    engine = await makeEngine();
    const { queue } = engine;
    // When each job was taken from the queue.
    const started: number[] = [];
    const timed = {
      ...queue,
      claim: async (...args: Parameters<typeof queue.claim>) => {
        const lease = await queue.claim(...args);
        if (lease !== undefined) started.push(performance.now());
        return lease;
      },
    };
    let busy = true;
    const runner = engine.runner({ craft: walkingHandler }, { queue: timed, busy: () => busy, busyClaimMs: 150, config: { queue: { leaseMs: 5_000, concurrency: 4, maxAttempts: 3 } } });
    for (let i = 0; i < 4; i += 1) await engine.jobs.create(craftRequest);
    await runner.start();
    await waitFor(async () => (started.length >= 3 ? true : undefined));
    // Busy: one start per 150 ms at most.
    for (let i = 1; i < started.length; i += 1) expect((started[i] as number) - (started[i - 1] as number)).toBeGreaterThanOrEqual(149);
    busy = false;
    await runner.idle();
    expect(started).toHaveLength(4);
    await runner.stop();
  });

  it("is not held back when nothing says busy", async () => {
    engine = await makeEngine();
    let running = 0;
    let most = 0;
    const overlapping: JobHandler = async (ctx) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
      return walkingHandler(ctx);
    };
    const runner = engine.runner({ craft: overlapping }, { busy: () => false, config: { queue: { leaseMs: 5_000, concurrency: 3, maxAttempts: 3 } } });
    for (let i = 0; i < 3; i += 1) await engine.jobs.create(craftRequest);
    await runner.start();
    await runner.idle();
    expect(most).toBe(3);
    await runner.stop();
  });
});

describe("flood gauge", () => {
  it("says flooded while submissions come faster than perSecond, and forgets within two windows", () => {
    let now = 0;
    const gauge = createFloodGauge({ perSecond: 100, now: () => now });
    // 100/s is 10 per 100 ms window.
    for (let i = 0; i < 9; i += 1) gauge.note();
    expect(gauge.flooded()).toBe(false);
    gauge.note();
    expect(gauge.flooded()).toBe(true);
    now = 150; // next window: the previous one still counts
    expect(gauge.flooded()).toBe(true);
    now = 250; // two windows on, nothing new
    expect(gauge.flooded()).toBe(false);
    now = 1_000;
    for (let i = 0; i < 5; i += 1) gauge.note();
    expect(gauge.flooded()).toBe(false);
  });
});
