import { describe, expect, it } from "vitest";
import { createOrderedQueue } from "../../../src/adapters/snapshot/ordered-queue";
import { createStageClock } from "../../../src/adapters/snapshot/stage-clock";

/** A promise settled from outside, to finish work in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ordered queue", () => {
  it("handles work in the order it was pushed, whatever order it finishes in", async () => {
    const handled: string[] = [];
    const queue = createOrderedQueue<string>((value) => void handled.push(value), { maxBytes: 1000, clock: createStageClock() });
    const first = deferred<string>();
    const second = deferred<string>();
    await queue.push(first.promise, 10);
    await queue.push(second.promise, 10);
    await queue.push("third", 0);
    second.resolve("second");
    await queue.push("fourth", 0);
    expect(handled).toEqual([]); // the first is still running: nothing may overtake it
    first.resolve("first");
    await queue.drain();
    expect(handled).toEqual(["first", "second", "third", "fourth"]);
  });

  it("waits for the oldest work once more than maxBytes are held, and records the wait", async () => {
    const handled: number[] = [];
    const clock = createStageClock();
    const queue = createOrderedQueue<number>((value) => void handled.push(value), { maxBytes: 100, clock });
    const slow = deferred<number>();
    await queue.push(slow.promise, 60);
    let pushed = false;
    const blocked = queue.push(Promise.resolve(2), 60).then(() => (pushed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pushed).toBe(false); // 120 bytes held > 100: the producer waits
    slow.resolve(1);
    await blocked;
    expect(handled).toEqual([1]); // back under the cap: the newer work may wait its turn
    await queue.drain();
    expect(handled).toEqual([1, 2]);
    expect(clock.totals()["wait for workers"]).toBeGreaterThanOrEqual(15);
  });

  it("rethrows a failure in its turn and handles nothing after it", async () => {
    const handled: string[] = [];
    const queue = createOrderedQueue<string>((value) => void handled.push(value), { maxBytes: 1000, clock: createStageClock() });
    const run = async () => {
      await queue.push("ok", 0);
      await queue.push(Promise.reject(new Error("worker failed")), 5);
      await queue.push("after", 0);
      await queue.drain();
    };
    await expect(run()).rejects.toThrow("worker failed");
    expect(handled).toEqual(["ok"]);
  });
});
