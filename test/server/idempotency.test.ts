import "../support/loopback-only";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { tokenScope } from "../../src/app/daemon/server-token";
import type { Job } from "../../src/core/domain/job";
import { buildServer } from "../../src/server/build-server";
import { daemonServerDeps } from "../../src/server/start-daemon";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";
import { waitFor } from "../support/engine";

let openai: FakeServer;
let daemon: TestDaemon;
beforeAll(async () => {
  openai = await startFakeServer("openai");
  daemon = await startTestDaemon({
    env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl },
    flags: { server: { jobsPerMinute: 1_000 } },
  });
});
afterAll(async () => {
  await daemon.close();
  await openai.close();
});

const craft = (body: unknown, key?: string, extra: Record<string, string> = {}) =>
  daemon.request("/v1/jobs/craft", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { ...(key === undefined ? {} : { "idempotency-key": key }), ...extra } });
const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;
const jobsOfSession = async (sessionId: string) => (await json<{ jobs: Job[] }>(await daemon.request(`/v1/jobs?sessionId=${sessionId}&limit=500`))).jobs;

describe("Idempotency-Key", () => {
  it("answers a retry with the same body with the first answer, marked Idempotent-Replayed, even after the job ran", async () => {
    const body = { ideas: ["replay me"], sessionId: "replay" };
    const first = await craft(body, '"key-replay-1"');
    expect(first.status).toBe(202);
    const created = await json<Job>(first);
    await waitFor(async () => (await json<Job>(await daemon.request(`/v1/jobs/${created.id}`))).state === "done");
    // Same key (bare this time), same body with its keys reordered and spaced differently.
    const retry = await craft('{ "sessionId": "replay",  "ideas": ["replay me"] }', "key-replay-1");
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("location")).toBe(`/v1/jobs/${created.id}`);
    expect(await json(retry)).toEqual(created);
    expect(await jobsOfSession("replay")).toHaveLength(1);
  });

  it("refuses the same key with another body (422), or on another route, naming the original job", async () => {
    const first = await json<Job>(await craft({ ideas: ["original"] }, "key-mismatch"));
    const other = await craft({ ideas: ["something else"] }, "key-mismatch");
    expect(other.status).toBe(422);
    expect(await json(other)).toMatchObject({ code: "idempotency_mismatch", jobId: first.id, hint: expect.stringContaining("new Idempotency-Key") });
    const evolve = await daemon.request("/v1/jobs/evolve", { method: "POST", body: JSON.stringify({ instruction: "x", cwd: daemon.dir }), headers: { "idempotency-key": "key-mismatch" } });
    expect(evolve.status).toBe(422);
  });

  it("rejects keys that are empty, too long, unprintable or repeated", async () => {
    for (const key of ['""', "x".repeat(256), "has space", "tab\there"]) {
      const response = await craft({ ideas: ["bad key"] }, key);
      expect(response.status, key).toBe(400);
      expect(await json(response)).toMatchObject({ code: "invalid_input", field: "Idempotency-Key" });
    }
    expect((await craft({ ideas: ["quoted spaces are fine"] }, '"has space"')).status).toBe(202);
  });

  it("creates exactly one job and one provider call for 50 concurrent requests with one key", async () => {
    openai.reset();
    openai.setFallback(() => ({ kind: "text", text: "the one answer", delayMs: 50 }));
    const body = { ideas: ["fifty at once"], sessionId: "fifty" };
    const responses = await Promise.all(Array.from({ length: 50 }, () => craft(body, "key-fifty")));
    const statuses = responses.map((r) => r.status);
    const bodies = await Promise.all(responses.map((r) => json(r)));
    const created = responses.filter((r) => r.status === 202 && r.headers.get("idempotent-replayed") === null);
    expect(created).toHaveLength(1);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    for (const [index, response] of responses.entries()) {
      if (response.status === 202) expect(bodies[index]).toEqual(bodies[responses.indexOf(created[0] as Response)]);
      else expect(bodies[index]).toMatchObject({ code: "idempotency_in_flight" });
    }
    const jobs = await jobsOfSession("fifty");
    expect(jobs).toHaveLength(1);
    await waitFor(async () => (await json<Job>(await daemon.request(`/v1/jobs/${jobs[0]?.id}`))).state === "done");
    openai.setFallback(undefined);
    expect(openai.requests.filter((r) => JSON.stringify(r.body).includes("fifty at once"))).toHaveLength(1);
  });

  it("answers 409 while the first request with a key is being handled, and 422 for another body meanwhile", async () => {
    const deps = await daemonServerDeps(daemon.container, { token: daemon.token, roots: [daemon.dir], corsOrigins: [], blobs: daemon.container.blobs, version: "test" });
    let release: () => void = () => undefined;
    const latch = new Promise<void>((resolve) => (release = resolve));
    const app = await buildServer({
      ...deps,
      daemon: {
        ...deps.daemon,
        submit: async (...args) => {
          await latch;
          return deps.daemon.submit(...args);
        },
      },
    });
    const send = (ideas: string[]) =>
      app.inject({ method: "POST", url: "/v1/jobs/craft", headers: { authorization: `Bearer ${daemon.token}`, "idempotency-key": "key-in-flight" }, payload: { ideas } });
    const first = send(["slow"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const duplicate = await send(["slow"]);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers["retry-after"]).toBe("1");
    expect(duplicate.json()).toMatchObject({ code: "idempotency_in_flight", retryAfterSeconds: 1 });
    expect((await send(["different"])).statusCode).toBe(422);
    release();
    expect((await first).statusCode).toBe(202);
    const after = await send(["slow"]);
    expect(after.statusCode).toBe(202);
    expect(after.headers["idempotent-replayed"]).toBe("true");
    await app.close();
  });

  it("scopes keys by token: another token's identical key creates its own job", async () => {
    const otherToken = "another-token-of-at-least-16";
    const deps = await daemonServerDeps(daemon.container, { token: otherToken, roots: [daemon.dir], corsOrigins: [], blobs: daemon.container.blobs, version: "test" });
    const app = await buildServer(deps);
    expect(deps.scope).toBe(tokenScope(otherToken));
    const mine = await json<Job>(await craft({ ideas: ["scoped"] }, "key-scoped"));
    const theirs = await app.inject({ method: "POST", url: "/v1/jobs/craft", headers: { authorization: `Bearer ${otherToken}`, "idempotency-key": "key-scoped" }, payload: { ideas: ["scoped"] } });
    expect(theirs.statusCode).toBe(202);
    expect(theirs.headers["idempotent-replayed"]).toBeUndefined();
    expect(theirs.json<Job>().id).not.toBe(mine.id);
    await app.close();
  });

  it("forgets keys past server.idempotencyTtlHours: the same key then creates a new job", async () => {
    const first = await json<Job>(await craft({ ideas: ["expiring"] }, "key-expiring"));
    const store = await daemon.container.store();
    // Another connection to the same database moves the key's expiry into the past.
    const raw = await openSqliteDatabase(daemon.container.paths.database);
    raw.raw.prepare("update idempotency_keys set expires_at = ? where key = ?").run(new Date(Date.now() - 1_000).toISOString(), "key-expiring");
    await raw.close();
    const second = await craft({ ideas: ["expiring"] }, "key-expiring");
    expect(second.status).toBe(202);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect((await json<Job>(second)).id).not.toBe(first.id);
    const ttlHours = daemon.container.config.server.idempotencyTtlHours;
    const stored = await store.findIdempotencyKey?.(tokenScope(daemon.token), "key-expiring");
    expect(Date.parse(stored?.expiresAt ?? "") - Date.now()).toBeGreaterThan(ttlHours * 3_600_000 - 60_000);
  });
});
