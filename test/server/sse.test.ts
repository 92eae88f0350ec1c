import "../support/loopback-only";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobContext, JobHandler } from "../../src/app/runner/job-handler";
import type { Job } from "../../src/core/domain/job";
import type { JobEventRecord } from "../../src/core/domain/job-events";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";
import { waitFor } from "../support/engine";
import { type SseFrame, openSse } from "../support/sse-client";

/** A craft handler the test drives: it emits progress events when told, and ends when told. */
function steppedHandler() {
  const pending: (() => void)[] = [];
  let steps = 0;
  let finish = false;
  const wake = () => pending.splice(0).forEach((resolve) => resolve());
  const handler: JobHandler = async (ctx: JobContext) => {
    await ctx.advance("prompting");
    let emitted = 0;
    for (;;) {
      while (emitted < steps) {
        emitted += 1;
        await ctx.emit({ type: "job-progressed", step: "work", message: `step ${emitted}` });
      }
      if (finish) return { result: { steps: emitted } };
      await new Promise<void>((resolve, reject) => {
        pending.push(resolve);
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
      });
    }
  };
  return {
    handler,
    step(count = 1) {
      steps += count;
      wake();
    },
    finish() {
      finish = true;
      wake();
    },
  };
}

const big = "x".repeat(64 * 1024);
const eventCount = 320;
/** Emits 320 events of 64 KiB each (20 MiB), as fast as the store takes them. */
const floodHandler: JobHandler = async (ctx) => {
  await ctx.advance("prompting");
  for (let i = 0; i < eventCount; i += 1) await ctx.emit({ type: "provider-chunk", callId: "flood", text: `${i}:${big}` });
  return { result: { flooded: eventCount } };
};

let daemon: TestDaemon;
let stepped = steppedHandler();
let handlerFor: "stepped" | "flood" = "stepped";
beforeAll(async () => {
  daemon = await startTestDaemon({
    env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
    flags: { server: { jobsPerMinute: 1_000 } },
    handlers: { craft: (ctx) => (handlerFor === "stepped" ? stepped.handler(ctx) : floodHandler(ctx)) },
    sse: { heartbeatMs: 40, retryMs: 1_500 },
  });
});
afterAll(async () => daemon.close());

const auth = () => ({ authorization: `Bearer ${daemon.token}` });
const createJob = async (): Promise<Job> => (await (await daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["stream"] }) })).json()) as Job;
const records = (frames: SseFrame[]): JobEventRecord[] => frames.filter((f) => f.id !== undefined).map((f) => JSON.parse(f.data ?? "{}") as JobEventRecord);

describe("GET /v1/jobs/:id/stream", () => {
  it("sends a retry hint, each event with its seq as id, heartbeats, and ends after the final event", async () => {
    stepped = steppedHandler();
    handlerFor = "stepped";
    const job = await createJob();
    const stream = await openSse(`${daemon.url}/v1/jobs/${job.id}/stream`, auth());
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(stream.headers["cache-control"]).toBe("no-cache, no-transform");
    await stream.waitFor((f) => f.event === "state-changed");
    expect(stream.frames[0]).toEqual({ retry: 1_500 });
    await stream.waitFor((f) => f.comment === "heartbeat");
    stepped.step(2);
    stepped.finish();
    await stream.ended;
    const received = records(stream.frames);
    expect(received.map((r) => r.seq)).toEqual(received.map((_, i) => i + 1));
    expect(received.map((r) => r.event.type)).toEqual(["job-created", "state-changed", "job-progressed", "job-progressed", "state-changed", "job-completed"]);
    const frame = stream.frames.find((f) => f.event === "job-progressed");
    expect(frame).toMatchObject({ id: "3", event: "job-progressed" });
    expect(JSON.parse(frame?.data ?? "")).toMatchObject({ jobId: job.id, seq: 3, ts: expect.any(String), event: { type: "job-progressed", message: "step 1" } });
  });

  it("resumes after a dropped connection from Last-Event-ID: every event exactly once, missed ones replayed", async () => {
    stepped = steppedHandler();
    handlerFor = "stepped";
    const job = await createJob();
    const first = await openSse(`${daemon.url}/v1/jobs/${job.id}/stream`, auth());
    stepped.step(3);
    await first.waitFor((f) => f.event === "job-progressed", 3);
    const health = async () => ((await (await fetch(`${daemon.url}/healthz`)).json()) as { openStreams: number }).openStreams;
    expect(await health()).toBe(1);
    first.drop();
    // The dropped stream lets go of its follower, heartbeat and registration.
    await waitFor(async () => (await health()) === 0);
    const seen = records(first.frames);
    const last = seen[seen.length - 1]?.seq ?? 0;
    // Events written while nobody listens...
    stepped.step(4);
    await waitFor(async () => (await daemon.container.jobs().then((jobs) => jobs.events(job.id))).length >= last + 4);
    const second = await openSse(`${daemon.url}/v1/jobs/${job.id}/stream`, { ...auth(), "last-event-id": String(last) });
    // ...arrive first, then live ones.
    await second.waitFor((f) => f.event === "job-progressed", 4);
    stepped.step(2);
    stepped.finish();
    await second.ended;
    const all = [...seen, ...records(second.frames)];
    const stored = await daemon.container.jobs().then((jobs) => jobs.events(job.id));
    expect(all.map((r) => r.seq)).toEqual(stored.map((r) => r.seq));
    expect(all.map((r) => r.event)).toEqual(stored.map((r) => r.event));
    expect(all[all.length - 1]?.event.type).toBe("job-completed");

    // Nothing left to send for a finished job: 204 tells EventSource to stop reconnecting.
    const after = await fetch(`${daemon.url}/v1/jobs/${job.id}/stream`, { headers: { ...auth(), "last-event-id": String(stored.length) } });
    expect(after.status).toBe(204);
    const replay = await openSse(`${daemon.url}/v1/jobs/${job.id}/stream?after=${stored.length - 2}`, auth());
    await replay.ended;
    expect(records(replay.frames).map((r) => r.seq)).toEqual([stored.length - 1, stored.length]);
  });

  it("answers problems, not streams, for an unknown job or a bad Last-Event-ID", async () => {
    const unknown = await fetch(`${daemon.url}/v1/jobs/01NOSUCHJOB/stream`, { headers: auth() });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    const jobs = (await (await daemon.request("/v1/jobs?limit=1")).json()) as { jobs: Job[] };
    const bad = await fetch(`${daemon.url}/v1/jobs/${jobs.jobs[0]?.id}/stream`, { headers: { ...auth(), "last-event-id": "seven" } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_input", field: "Last-Event-ID" });
  });

  it("waits for a slow reader's socket to drain instead of buffering the whole log, and counts it", async () => {
    handlerFor = "flood";
    const job = await createJob();
    const serverSockets: Socket[] = [];
    const track = (socket: Socket) => serverSockets.push(socket);
    daemon.app.server.on("connection", track);
    const { port } = new URL(daemon.url);
    const client = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    client.pause();
    client.write(`GET /v1/jobs/${job.id}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${daemon.token}\r\nAccept: text/event-stream\r\n\r\n`);
    // The job ends on its own: its events are in the store whatever the reader does.
    await waitFor(async () => ((await (await daemon.request(`/v1/jobs/${job.id}`)).json()) as Job).state === "done", 20_000);
    let largest = 0;
    for (let i = 0; i < 20; i += 1) {
      largest = Math.max(largest, ...serverSockets.map((socket) => socket.writableLength));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    daemon.app.server.off("connection", track);
    // One 64 KiB event past the high-water mark at most — not the 20 MiB written to the store.
    expect(largest).toBeLessThan(512 * 1024);
    const metrics = await (await daemon.request("/metrics")).text();
    expect(Number(/^grompt_stream_backpressure_events_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    // The reader catches up: every event arrives, in order, and the stream ends.
    let text = "";
    client.setEncoding("utf8");
    client.on("data", (chunk: string) => void (text += chunk));
    client.resume();
    await waitFor(async () => text.includes("event: job-completed") || undefined, 20_000);
    client.destroy();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect([...text.matchAll(/^event: provider-chunk$/gm)]).toHaveLength(eventCount);
  }, 60_000);
});

describe("graceful shutdown of streams", () => {
  it("ends every open stream with a server-shutdown event before the server closes", async () => {
    const local = await startTestDaemon({ env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, handlers: { craft: steppedHandler().handler }, sse: { retryMs: 1_000 } });
    const job = (await (await local.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["x"] }), headers: { "content-type": "application/json" } })).json()) as Job;
    const stream = await openSse(`${local.url}/v1/jobs/${job.id}/stream`, { authorization: `Bearer ${local.token}` });
    await stream.waitFor((f) => f.event === "state-changed");
    const closing = local.close();
    await stream.ended;
    const last = stream.frames[stream.frames.length - 1];
    expect(last).toMatchObject({ event: "server-shutdown" });
    expect(last?.id).toBeUndefined();
    expect(JSON.parse(last?.data ?? "{}")).toEqual({ reason: expect.stringContaining("Last-Event-ID"), retryMs: 1_000 });
    await closing;
  });
});
