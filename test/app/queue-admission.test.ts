import { describe, expect, it } from "vitest";
import { createQueueAdmission } from "../../src/app/daemon/queue-admission";

describe("queue admission", () => {
  it("counts the store first, then only when the count plus the jobs created since reaches the bound (at most every 250 ms)", async () => {
    let now = 0;
    let queued = 1;
    let counts = 0;
    const admission = createQueueAdmission({
      countQueued: async () => {
        counts += 1;
        return queued;
      },
      max: 3,
      now: () => now,
    });
    await admission.admit();
    admission.created();
    await admission.admit(); // 1 counted + 1 created
    admission.created();
    await expect(admission.admit()).rejects.toMatchObject({ code: "queue_full", details: { maxQueuedJobs: 3, queued: 3, retryAfterMs: 1_000 } });
    expect(counts).toBe(1);
    // The runners worked through the backlog: the next count lets submissions in again.
    queued = 0;
    now = 250;
    await admission.admit();
    expect(counts).toBe(2);
    // Well under the bound again: no counting.
    now = 1_000;
    await admission.admit();
    expect(counts).toBe(2);
  });

  it("shares one count between the submissions that ask at once", async () => {
    let counts = 0;
    const admission = createQueueAdmission({ countQueued: async () => ((counts += 1), 0), max: 10 });
    await Promise.all([admission.admit(), admission.admit(), admission.admit()]);
    expect(counts).toBe(1);
  });
});
