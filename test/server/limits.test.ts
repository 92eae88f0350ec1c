import "../support/loopback-only";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tokenScope } from "../../src/app/daemon/server-token";
import type { UsageEntry } from "../../src/core/ports/store-port";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";

let openai: FakeServer;
beforeAll(async () => {
  openai = await startFakeServer("openai");
});
afterAll(async () => openai.close());

let daemon: TestDaemon;
afterEach(async () => daemon.close());

const env = () => ({ OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl });
const craft = (body: unknown = { ideas: ["limits"] }, headers: Record<string, string> = {}) => daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify(body), headers });
const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;
const used = async (entry: Partial<UsageEntry>) =>
  (await daemon.container.store()).recordUsage({
    callId: `seed-${Math.random()}`,
    scope: "cli",
    provider: "openai",
    model: "gpt-4.1-mini",
    usage: { prompt: 0, completion: 0, total: 0 },
    costMicros: 0,
    cached: false,
    status: "settled",
    ts: new Date().toISOString(),
    ...entry,
  });

describe("usage limits over HTTP: 429, Retry-After and the limit's name", () => {
  it("limits jobs per minute per token (server.jobsPerMinute)", async () => {
    daemon = await startTestDaemon({ env: env(), flags: { server: { jobsPerMinute: 3 } } });
    for (let i = 0; i < 3; i += 1) {
      const response = await craft({ ideas: [`job ${i}`] }, i === 0 ? { "idempotency-key": "first" } : {});
      expect(response.status).toBe(202);
      expect(response.headers.get("x-ratelimit-remaining")).toBe(String(2 - i));
    }
    const refused = await craft();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("x-ratelimit-limit")).toBe("3");
    expect(refused.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await json(refused)).toMatchObject({ status: 429, code: "rate_limit_exceeded", limit: "server.jobsPerMinute", detail: "Too many jobs: at most 3 per minute for this token" });
    // A retry of a request that created a job is answered from the store, whatever the window says.
    const replay = await craft({ ideas: ["job 0"] }, { "idempotency-key": "first" });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // Evolve shares the window; reads do not count.
    expect((await daemon.request("/v1/jobs/evolve", { method: "POST", body: JSON.stringify({ instruction: "x", cwd: daemon.dir }) })).status).toBe(429);
    expect((await daemon.request("/v1/jobs")).status).toBe(200);
  });

  it("refuses submissions with 429 queue_full while server.maxQueuedJobs jobs wait to start — but still replays", async () => {
    // No handler here: the jobs stay queued.
    daemon = await startTestDaemon({ env: env(), flags: { server: { maxQueuedJobs: 2 } }, handlers: {} });
    expect((await craft({ ideas: ["one"] }, { "idempotency-key": "one" })).status).toBe(202);
    expect((await craft({ ideas: ["two"] })).status).toBe(202);
    const refused = await craft({ ideas: ["three"] });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(await json(refused)).toMatchObject({ status: 429, code: "queue_full", limit: "server.maxQueuedJobs", maxQueuedJobs: 2, queued: 2 });
    const replay = await craft({ ideas: ["one"] }, { "idempotency-key": "one" });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<{ jobs: unknown[] }>(await daemon.request("/v1/jobs?state=queued"))).jobs).toHaveLength(2);
  });

  it("refuses new provider work once the daily cost quota is spent (limits.dailyCostUsd), until 00:00 UTC — but still replays", async () => {
    daemon = await startTestDaemon({ env: { ...env(), GROMPT_DAILY_COST_USD: "0.001" } });
    const replayed = await craft({ ideas: ["before the quota ran out"] }, { "idempotency-key": "before" });
    expect(replayed.status).toBe(202);
    await used({ costMicros: 1_000 });
    const refused = await craft();
    expect(refused.status).toBe(429);
    const body = await json(refused);
    expect(body).toMatchObject({ code: "quota_exceeded", limit: "limits.dailyCostUsd", limitUsd: 0.001, spentUsd: 0.001, detail: expect.stringContaining("quota is spent") });
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const expected = Math.ceil((midnight.getTime() - Date.now()) / 1000);
    expect(Math.abs(Number(refused.headers.get("retry-after")) - expected)).toBeLessThanOrEqual(2);
    expect(body.retryAfterSeconds).toBe(Number(refused.headers.get("retry-after")));
    const test = await daemon.request("/v1/providers/test", { method: "POST", body: JSON.stringify({ provider: "openai" }) });
    expect(await json(test)).toMatchObject({ status: 429, code: "quota_exceeded" });
    const replay = await craft({ ideas: ["before the quota ran out"] }, { "idempotency-key": "before" });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });

  it("refuses new provider work once the token used its provider tokens for the minute (server.tokensPerMinute)", async () => {
    daemon = await startTestDaemon({ env: env(), flags: { server: { tokensPerMinute: 1_000 } } });
    // The CLI's usage does not count against the daemon token.
    await used({ scope: "cli", usage: { prompt: 5_000, completion: 0, total: 5_000 } });
    expect((await craft()).status).toBe(202);
    await used({ scope: tokenScope(daemon.token), usage: { prompt: 600, completion: 400, total: 1_000 }, ts: new Date(Date.now() - 15_000).toISOString() });
    const refused = await craft();
    expect(refused.status).toBe(429);
    expect(await json(refused)).toMatchObject({ code: "rate_limit_exceeded", limit: "server.tokensPerMinute", limitTokens: 1_000, usedTokens: 1_000 });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(44);
    expect(retryAfter).toBeLessThanOrEqual(46);
  });
});
