import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { abortableSleep, createAttemptGuard, deadlineSweep } from "../../../src/app/providers/attempt-guard";

// Fake clocks (timers and performance.now): real 25 ms sleeps overran a 60 ms timeout on a loaded machine.
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("attempt guard", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires after timeoutMs of silence and says it was the timeout", async () => {
    const guard = createAttemptGuard(undefined, 40);
    await wait(80);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.timedOut).toBe(true);
    guard.dispose();
  });

  it("restarts the clock on every chunk, so a flowing stream never times out", async () => {
    const guard = createAttemptGuard(undefined, 60);
    for (let i = 0; i < 6; i += 1) {
      await wait(25);
      guard.touch();
    }
    expect(guard.signal.aborted).toBe(false);
    await wait(100);
    expect(guard.timedOut).toBe(true);
    guard.dispose();
  });

  it("stops the clock while the consumer holds a chunk", async () => {
    const guard = createAttemptGuard(undefined, 40);
    guard.pause();
    await wait(100);
    expect(guard.signal.aborted).toBe(false);
    guard.touch();
    await wait(80);
    expect(guard.timedOut).toBe(true);
    guard.dispose();
  });

  it("follows the caller's signal, which is not a timeout", () => {
    const caller = new AbortController();
    const guard = createAttemptGuard(caller.signal, 10_000);
    caller.abort();
    expect(guard.signal.aborted).toBe(true);
    expect(guard.timedOut).toBe(false);
    guard.dispose();
  });

  it("races work against the attempt, one chunk after another", async () => {
    const caller = new AbortController();
    const guard = createAttemptGuard(caller.signal, 10_000);
    await expect(guard.race(Promise.resolve(1))).resolves.toBe(1);
    await expect(guard.race(Promise.resolve(2))).resolves.toBe(2);
    const stuck = guard.race(new Promise<never>(() => undefined));
    caller.abort();
    await expect(stuck).rejects.toThrow();
    await expect(guard.race(Promise.resolve(3))).rejects.toThrow();
    guard.dispose();
  });

  it("sleeps until aborted", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toThrow();
  });

  it("checks every live attempt with one shared timer, not one per attempt", async () => {
    const guards = Array.from({ length: 50 }, () => createAttemptGuard(undefined, 20_000));
    expect(vi.getTimerCount()).toBe(1);
    expect(deadlineSweep()).toEqual({ guards: 50, tickMs: 1_000 });
    const short = createAttemptGuard(undefined, 40);
    // A shorter timeout tightens the one sweep instead of adding a timer.
    expect(vi.getTimerCount()).toBe(1);
    await wait(50);
    expect(short.timedOut).toBe(true);
    expect(guards.some((guard) => guard.signal.aborted)).toBe(false);
    await wait(20_000);
    expect(guards.every((guard) => guard.timedOut)).toBe(true);
    for (const guard of [...guards, short]) guard.dispose();
    expect(deadlineSweep().guards).toBe(0);
  });

  it("stops sweeping once no attempt is live, and restarts with the next one", async () => {
    const first = createAttemptGuard(undefined, 20_000);
    first.dispose();
    await wait(1_000);
    expect(vi.getTimerCount()).toBe(0);
    const next = createAttemptGuard(undefined, 40);
    await wait(50);
    expect(next.timedOut).toBe(true);
    next.dispose();
  });

  it("cuts an attempt at most one tick after its timeout", async () => {
    const guard = createAttemptGuard(undefined, 20_000);
    await wait(19_999);
    expect(guard.signal.aborted).toBe(false);
    await wait(1_001);
    expect(guard.timedOut).toBe(true);
    expect((guard.signal.reason as DOMException).name).toBe("TimeoutError");
    guard.dispose();
  });
});
