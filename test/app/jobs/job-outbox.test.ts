import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileSpoolQueue } from "../../../src/adapters/queue/file-spool/file-spool-queue";
import { createJobOutbox } from "../../../src/app/jobs/job-outbox";
import { createJobSignals } from "../../../src/app/jobs/job-signals";
import type { QueuePort } from "../../../src/core/ports/queue-port";
import { makeTempDir } from "../../support/temp-home";

function spool() {
  const temp = makeTempDir();
  const queue = createFileSpoolQueue({ dir: join(temp.dir, "queue"), maxAttempts: 3 });
  return { queue, cleanup: temp.cleanup };
}

const drain = async (queue: QueuePort): Promise<string[]> => {
  const ids: string[] = [];
  for (let lease = await queue.claim("w", 10_000); lease !== undefined; lease = await queue.claim("w", 10_000)) {
    ids.push(lease.entry.jobId);
    await queue.complete(lease);
  }
  return ids;
};

describe("job outbox", () => {
  it("writes the entries added in one turn after it, in order, and signals each job once it is on the queue", async () => {
    const { queue, cleanup } = spool();
    try {
      const signals = createJobSignals();
      const signaled: string[] = [];
      signals.on("enqueued", (jobId) => signaled.push(jobId));
      const outbox = createJobOutbox({ queue: () => queue, signals });
      for (const id of ["j1", "j2", "j3"]) outbox.add(id, 1);
      outbox.add("c1", 0);
      // Nothing yet: the entries follow the turn that committed the jobs.
      expect(await queue.has("j1")).toBe(false);
      expect(signaled).toEqual([]);
      await outbox.flush();
      expect(signaled).toEqual(["j1", "j2", "j3", "c1"]);
      expect(await drain(queue)).toEqual(["c1", "j1", "j2", "j3"]);
    } finally {
      cleanup();
    }
  });

  it("retries entries the queue could not write, reporting them, until they are written", async () => {
    const { queue, cleanup } = spool();
    try {
      let failures = 2;
      // The spool fails twice (a full disk, say), then works again.
      const flaky: QueuePort = {
        ...queue,
        enqueueMany: async (entries) => {
          if (failures > 0) {
            failures -= 1;
            return entries.map(() => new Error("ENOSPC: no space left on device"));
          }
          return (await queue.enqueueMany?.(entries)) ?? [];
        },
      };
      const reported: string[][] = [];
      const signals = createJobSignals();
      const outbox = createJobOutbox({ queue: () => flaky, signals, onError: (_error, jobIds) => reported.push(jobIds), retryMs: 20 });
      outbox.add("a", 1);
      outbox.add("b", 1);
      await outbox.flush();
      expect(await queue.has("a")).toBe(false);
      // The retry timer tries again by itself.
      for (let waited = 0; waited < 2_000 && !(await queue.has("b")); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(reported).toEqual([
        ["a", "b"],
        ["a", "b"],
      ]);
      expect(await drain(queue)).toEqual(["a", "b"]);
    } finally {
      cleanup();
    }
  });

  it("flush tries failed entries again at once instead of waiting for the retry timer", async () => {
    const { queue, cleanup } = spool();
    try {
      let failures = 1;
      const flaky: QueuePort = {
        ...queue,
        enqueueMany: async (entries) => (failures-- > 0 ? entries.map(() => new Error("EIO")) : ((await queue.enqueueMany?.(entries)) ?? [])),
      };
      const outbox = createJobOutbox({ queue: () => flaky, signals: createJobSignals(), retryMs: 60_000 });
      outbox.add("a", 1);
      await outbox.flush();
      expect(await queue.has("a")).toBe(false);
      await outbox.flush();
      expect(await drain(queue)).toEqual(["a"]);
    } finally {
      cleanup();
    }
  });
});
