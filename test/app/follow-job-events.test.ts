import { afterEach, describe, expect, it } from "vitest";
import type { JobEventRecord } from "../../src/core/domain/job-events";
import { type Engine, craftRequest, makeEngine } from "../support/engine";

let engine: Engine;
afterEach(async () => engine.close());

/** Appends like a job's context does in this process: the committed records travel with the signal. */
const appendHere = async (jobId: string, message: string) => engine.signals.eventsAppended(jobId, await engine.store.appendEvents(jobId, [{ type: "job-progressed", step: "s", message }]));
/** Appends like another process: the store only, no signal. */
const appendElsewhere = (jobId: string, message: string) => engine.store.appendEvents(jobId, [{ type: "job-progressed", step: "s", message }]);

describe("following a job's events", () => {
  it("yields every event once and in order when this process's records and another writer's interleave", async () => {
    engine = await makeEngine();
    const { job } = await engine.jobs.create(craftRequest);
    const seen: JobEventRecord[] = [];
    const following = (async () => {
      for await (const record of engine.jobs.follow(job.id, { pollMs: 20 })) seen.push(record);
    })();
    for (let i = 0; i < 30; i += 1) {
      if (i % 3 === 0) await appendElsewhere(job.id, `other ${i}`);
      else await appendHere(job.id, `here ${i}`);
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await engine.store.transitionJob(job.id, { from: "queued", event: { type: "cancel" } });
    engine.signals.eventsAppended(job.id);
    await following;
    const stored = await engine.store.listEvents(job.id);
    expect(seen.map((r) => r.seq)).toEqual(stored.map((r) => r.seq));
    expect(seen.map((r) => r.event)).toEqual(stored.map((r) => r.event));
  });

  it("loses nothing when the reader stops reading while many more events than it buffers arrive", async () => {
    engine = await makeEngine();
    const { job } = await engine.jobs.create(craftRequest);
    const follower = engine.jobs.follow(job.id, { pollMs: 20 });
    const first = await follower.next();
    expect(first.value?.seq).toBe(1);
    for (let i = 0; i < 200; i += 1) await appendHere(job.id, `burst ${i}`);
    await engine.store.transitionJob(job.id, { from: "queued", event: { type: "cancel" } });
    const rest: number[] = [];
    for await (const record of follower) rest.push(record.seq);
    expect(rest).toEqual(Array.from({ length: 202 }, (_, i) => i + 2));
  });
});
