import { spawnSync } from "node:child_process";
import { linkSync, mkdirSync, readdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileSpoolQueue } from "../../src/adapters/queue/file-spool/file-spool-queue";
import { hostTag } from "../../src/adapters/queue/file-spool/spool-fs";
import { leasedName, parseLeasedName, readyName } from "../../src/adapters/queue/file-spool/spool-names";
import { queueContractSettings, runQueueContract } from "../contracts/queue.contract";
import { runScript } from "../support/run-script";
import { makeTempDir } from "../support/temp-home";

runQueueContract("file spool", async () => {
  const temp = makeTempDir();
  let now = Date.now();
  const queue = createFileSpoolQueue({ dir: join(temp.dir, "queue"), ...queueContractSettings, clock: () => now });
  return { queue, setNow: (ms) => (now = ms), cleanup: async () => temp.cleanup() };
});

describe("file spool", () => {
  it("names sort by priority then enqueue time, and parse back", () => {
    const a = readyName({ priority: 1, enqueuedUs: 2_000, attempts: 0, jobId: "A" });
    const b = readyName({ priority: 0, enqueuedUs: 9_000, attempts: 2, jobId: "B" });
    const c = readyName({ priority: 1, enqueuedUs: 10_000, attempts: 0, jobId: "C" });
    expect([c, a, b].sort()).toEqual([b, a, c]);
    const leased = leasedName({ priority: 1, enqueuedUs: 2_000, attempts: 0, jobId: "A" }, 1_700_000_000_000, "abc-1-ff");
    expect(parseLeasedName(leased)).toEqual({ key: { priority: 1, enqueuedUs: 2_000, attempts: 0, jobId: "A" }, expiresMs: 1_700_000_000_000, leaseId: "abc-1-ff" });
  });

  it("refuses a spool path it cannot write, with queue_unavailable and a hint, creating nothing", () => {
    const temp = makeTempDir();
    try {
      writeFileSync(join(temp.dir, "queue"), "not a directory");
      expect(() => createFileSpoolQueue({ dir: join(temp.dir, "queue"), maxAttempts: 3 })).toThrowError(
        expect.objectContaining({ code: "queue_unavailable", hint: expect.stringContaining("writable") }),
      );
      expect(readdirSync(temp.dir)).toEqual(["queue"]);
    } finally {
      temp.cleanup();
    }
  });

  it("reclaims at once a lease held by a process of this machine that no longer exists", async () => {
    const temp = makeTempDir();
    try {
      const dir = join(temp.dir, "queue");
      const queue = createFileSpoolQueue({ dir, maxAttempts: 3 });
      await queue.enqueue("orphan", { priority: 1 });
      const lease = await queue.claim("w", 600_000);
      const gone = spawnSync(process.execPath, ["-e", ""]).pid as number;
      const key = parseLeasedName(lease!.leaseId)!.key;
      const deadOwner = leasedName(key, Date.now() + 600_000, `${hostTag}-${gone}-00000000`);
      renameSync(join(dir, "leased", lease!.leaseId), join(dir, "leased", deadOwner));
      // A live owner's unexpired lease stays put.
      await queue.enqueue("alive", { priority: 1 });
      await queue.claim("w", 600_000);
      expect(await queue.reclaimExpired()).toBe(1);
      expect((await queue.claim("w", 1_000))?.entry.jobId).toBe("orphan");
    } finally {
      temp.cleanup();
    }
  });

  it("finishes an enqueue cut short by a crash and forgets an index whose entry is gone", async () => {
    const temp = makeTempDir();
    try {
      const dir = join(temp.dir, "queue");
      let now = Date.now();
      const queue = createFileSpoolQueue({ dir, maxAttempts: 3, clock: () => now });
      // Crash after linking index/ but before the rename into ready/.
      const name = readyName({ priority: 1, enqueuedUs: now * 1000, attempts: 0, jobId: "half" });
      const temp1 = join(dir, "tmp", `${name}.abcd`);
      writeFileSync(temp1, "{}");
      linkSync(temp1, join(dir, "index", "half"));
      utimesSync(temp1, new Date(now - 120_000), new Date(now - 120_000));
      // Crash after completing an entry but before dropping its index.
      writeFileSync(join(dir, "index", "stale"), "{}");
      expect(await queue.has("stale")).toBe(false);
      await queue.enqueue("stale", { priority: 1 });
      expect(await queue.has("stale")).toBe(true);
      now += 1;
      expect(await queue.reclaimExpired()).toBe(0);
      const claimed = [(await queue.claim("w", 1_000))?.entry.jobId, (await queue.claim("w", 1_000))?.entry.jobId];
      expect(claimed).toEqual(["half", "stale"]);
      expect(readdirSync(join(dir, "tmp"))).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });

  it("hands each entry to exactly one of four processes claiming at once", async () => {
    const temp = makeTempDir();
    try {
      const dir = join(temp.dir, "queue");
      const queue = createFileSpoolQueue({ dir, maxAttempts: 3 });
      const ids = Array.from({ length: 400 }, (_, i) => `job-${String(i).padStart(3, "0")}`);
      for (const id of ids) await queue.enqueue(id, { priority: i(id) % 2 });
      const barrier = join(temp.dir, "barrier");
      mkdirSync(barrier);
      const running = Promise.all([1, 2, 3, 4].map(() => runScript("claim-worker.ts", [dir, barrier])));
      while (readdirSync(barrier).length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      writeFileSync(join(barrier, "go"), "");
      const outputs = await running;
      const perWorker = outputs.map((o) => JSON.parse(o.stdout) as string[]);
      const all = perWorker.flat();
      expect(all.length).toBe(400);
      expect(new Set(all).size).toBe(400);
      // They really raced: every worker got some.
      expect(perWorker.every((claimed) => claimed.length > 0)).toBe(true);
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
    } finally {
      temp.cleanup();
    }
  });
});

const i = (id: string) => Number(id.slice(4));

describe("file spool: enqueueMany (entries written on a worker thread)", () => {
  it("queues a batch as enqueue does each: in order, one outcome per job, one live entry per job", async () => {
    const temp = makeTempDir();
    const queue = createFileSpoolQueue({ dir: join(temp.dir, "queue"), ...queueContractSettings });
    try {
      await queue.enqueue("waiting", { priority: 1 });
      const outcomes = await queue.enqueueMany?.([
        { jobId: "r1", priority: 1 },
        { jobId: "c1", priority: 0 },
        { jobId: "../escape", priority: 1 },
        { jobId: "waiting", priority: 1 },
        { jobId: "r2", priority: 1 },
      ]);
      expect(outcomes?.map((outcome) => (outcome === undefined ? "queued" : (outcome as { code?: string }).code))).toEqual(["queued", "queued", "invalid_input", "queued", "queued"]);
      // "waiting" was queued already: still one entry (the worker found its index taken; the one-at-a-time path kept the first).
      expect(await queue.stats()).toEqual({ ready: 4, delayed: 0, leased: 0, dead: 0 });
      const order: string[] = [];
      for (let lease = await queue.claim("w", 10_000); lease !== undefined; lease = await queue.claim("w", 10_000)) {
        order.push(lease.entry.jobId);
        await queue.complete(lease);
      }
      expect(order).toEqual(["c1", "waiting", "r1", "r2"]);
      expect(readdirSync(join(temp.dir, "queue", "tmp")).filter((name) => !name.startsWith("."))).toEqual([]);
      expect(readdirSync(join(temp.dir, "queue", "index"))).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });

  it("reports a spool it can no longer write as queue_unavailable, per job", async () => {
    const temp = makeTempDir();
    const queue = createFileSpoolQueue({ dir: join(temp.dir, "queue"), ...queueContractSettings });
    try {
      // The index directory replaced by a file: every link fails, on the worker and again on the main thread.
      spawnSync("rm", ["-rf", join(temp.dir, "queue", "index")]);
      writeFileSync(join(temp.dir, "queue", "index"), "");
      const outcomes = await queue.enqueueMany?.([{ jobId: "a", priority: 1 }, { jobId: "b", priority: 1 }]);
      expect(outcomes?.map((outcome) => (outcome as { code?: string } | undefined)?.code)).toEqual(["queue_unavailable", "queue_unavailable"]);
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
      expect(readdirSync(join(temp.dir, "queue", "tmp")).filter((name) => !name.startsWith("."))).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });
});
