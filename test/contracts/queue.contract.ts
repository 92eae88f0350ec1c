import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { priorityFor } from "../../src/core/ports/queue-port";
import type { QueueLease, QueuePort } from "../../src/core/ports/queue-port";

export interface QueueUnderTest {
  queue: QueuePort;
  /** Moves the queue's clock (lease expiry, backoff). */
  setNow(ms: number): void;
  cleanup?(): Promise<void>;
}

/** Settings every queue under test is made with. */
export const queueContractSettings = { maxAttempts: 3, backoffMs: 1_000, maxBackoffMs: 60_000 } as const;

const start = Date.UTC(2026, 0, 1);
const lease = 10_000;

/** The QueuePort contract: the file spool runs it now, a BullMQ queue later. */
export function runQueueContract(name: string, makeQueue: () => Promise<QueueUnderTest>): void {
  describe(`QueuePort contract: ${name}`, () => {
    let subject: QueueUnderTest;
    let queue: QueuePort;
    const claim = async (): Promise<QueueLease> => {
      const claimed = await queue.claim("worker-a", lease);
      if (claimed === undefined) throw new Error("expected an entry to claim");
      return claimed;
    };
    beforeEach(async () => {
      subject = await makeQueue();
      subject.setNow(start);
      queue = subject.queue;
    });
    afterEach(async () => subject.cleanup?.());

    it("hands out an entry once, with a lease", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      expect(await queue.stats()).toEqual({ ready: 1, delayed: 0, leased: 0, dead: 0 });
      const claimed = await claim();
      expect(claimed.entry).toMatchObject({ jobId: "job-1", priority: 1, attempts: 0, enqueuedAt: new Date(start).toISOString() });
      expect(claimed.workerId).toBe("worker-a");
      expect(claimed.expiresAt).toBe(new Date(start + lease).toISOString());
      expect(await queue.claim("worker-b", lease)).toBeUndefined();
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 1, dead: 0 });
      await queue.complete(claimed);
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
      expect(await queue.has("job-1")).toBe(false);
    });

    it("serves craft before refactor, then first in first out", async () => {
      await queue.enqueue("r1", { priority: priorityFor("refactor") });
      await queue.enqueue("r2", { priority: priorityFor("refactor") });
      await queue.enqueue("c1", { priority: priorityFor("craft") });
      await queue.enqueue("r3", { priority: priorityFor("summarize") });
      await queue.enqueue("c2", { priority: priorityFor("craft") });
      const order: string[] = [];
      for (let i = 0; i < 5; i += 1) order.push((await claim()).entry.jobId);
      expect(order).toEqual(["c1", "c2", "r1", "r2", "r3"]);
    });

    it("keeps one entry per job: enqueueing a waiting or leased job is a no-op", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      await queue.enqueue("job-1", { priority: 0 });
      expect(await queue.stats()).toMatchObject({ ready: 1 });
      const claimed = await claim();
      await queue.enqueue("job-1", { priority: 1 });
      expect(await queue.has("job-1")).toBe(true);
      expect(await queue.claim("worker-b", lease)).toBeUndefined();
      await queue.complete(claimed);
      await queue.enqueue("job-1", { priority: 1 });
      expect(await queue.stats()).toMatchObject({ ready: 1, leased: 0 });
    });

    it("renews a lease by heartbeat and rejects the stale lease id with lease_lost", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      const first = await claim();
      subject.setNow(start + 5_000);
      const renewed = await queue.heartbeat(first, lease);
      expect(renewed.expiresAt).toBe(new Date(start + 15_000).toISOString());
      expect(renewed.leaseId).not.toBe(first.leaseId);
      await expect(queue.heartbeat(first, lease)).rejects.toMatchObject({ code: "lease_lost" });
      await expect(queue.complete(first)).rejects.toMatchObject({ code: "lease_lost" });
      subject.setNow(start + 12_000);
      expect(await queue.reclaimExpired()).toBe(0);
      await queue.complete(renewed);
      expect(await queue.has("job-1")).toBe(false);
    });

    it("returns expired leases to ready; the old holder then gets lease_lost", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      const first = await claim();
      subject.setNow(start + lease + 1);
      expect(await queue.reclaimExpired()).toBe(1);
      expect(await queue.stats()).toMatchObject({ ready: 1, leased: 0 });
      const second = await claim();
      expect(second.entry.jobId).toBe("job-1");
      for (const call of [() => queue.heartbeat(first, lease), () => queue.release(first), () => queue.fail(first, "x"), () => queue.complete(first)]) {
        await expect(call()).rejects.toMatchObject({ code: "lease_lost" });
      }
      expect(await queue.has("job-1")).toBe(true);
    });

    it("releases an entry back to ready without counting an attempt", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      await queue.release(await claim());
      const again = await claim();
      expect(again.entry.attempts).toBe(0);
    });

    it("retries failures after an exponential backoff, then dead-letters the last", async () => {
      await queue.enqueue("job-1", { priority: 1 });
      expect(await queue.fail(await claim(), "provider down")).toBe("retry");
      expect(await queue.stats()).toMatchObject({ ready: 0, delayed: 1 });
      expect(await queue.has("job-1")).toBe(true);
      subject.setNow(start + 999);
      expect(await queue.claim("w", lease)).toBeUndefined();
      subject.setNow(start + 1_000);
      const second = await claim();
      expect(second.entry.attempts).toBe(1);
      expect(await queue.fail(second, "still down")).toBe("retry");
      subject.setNow(start + 1_000 + 1_999);
      expect(await queue.claim("w", lease)).toBeUndefined();
      subject.setNow(start + 1_000 + 2_000);
      const third = await claim();
      expect(third.entry.attempts).toBe(2);
      expect(await queue.fail(third, "gave up")).toBe("dead");
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 1 });
      expect(await queue.has("job-1")).toBe(false);
      subject.setNow(start + 10 * 60_000);
      expect(await queue.claim("w", lease)).toBeUndefined();
      // A dead-lettered job can be enqueued again (the store decides whether it should run).
      await queue.enqueue("job-1", { priority: 1 });
      expect((await claim()).entry.attempts).toBe(0);
    });

    it("holds an entry enqueued with notBefore until then", async () => {
      await queue.enqueue("later", { priority: 0, notBefore: new Date(start + 5_000).toISOString() });
      await queue.enqueue("now", { priority: 1 });
      expect((await claim()).entry.jobId).toBe("now");
      expect(await queue.claim("w", lease)).toBeUndefined();
      subject.setNow(start + 5_000);
      expect((await claim()).entry.jobId).toBe("later");
    });

    it("removes waiting entries but leaves leased ones to their worker", async () => {
      await queue.enqueue("waiting", { priority: 1 });
      await queue.enqueue("delayed", { priority: 1, notBefore: new Date(start + 60_000).toISOString() });
      await queue.enqueue("busy", { priority: 0 });
      const busy = await claim();
      expect(await queue.remove("waiting")).toBe(true);
      expect(await queue.remove("delayed")).toBe(true);
      expect(await queue.remove("busy")).toBe(false);
      expect(await queue.remove("never")).toBe(false);
      expect(await queue.has("waiting")).toBe(false);
      expect(await queue.has("busy")).toBe(true);
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 1, dead: 0 });
      await queue.complete(busy);
    });

    it("rejects job ids and priorities it cannot store", async () => {
      await expect(queue.enqueue("../escape", { priority: 1 })).rejects.toMatchObject({ code: "invalid_input" });
      await expect(queue.enqueue("ok", { priority: -1 })).rejects.toMatchObject({ code: "invalid_input" });
      await expect(queue.enqueue("ok", { priority: 1, notBefore: "next tuesday" })).rejects.toMatchObject({ code: "invalid_input" });
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
    });
  });
}
