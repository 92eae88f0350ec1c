import "../support/loopback-only";
import { createHash } from "node:crypto";
import { mkdirSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "../../src/core/domain/job";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";
import { waitFor } from "../support/engine";
import { makeTempDir } from "../support/temp-home";

let openai: FakeServer;
let daemon: TestDaemon;
const outside = makeTempDir("grompt-outside-");

beforeAll(async () => {
  openai = await startFakeServer("openai");
  daemon = await startTestDaemon({
    env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl },
  });
  mkdirSync(join(daemon.dir, "repo"));
  symlinkSync(outside.dir, join(daemon.dir, "repo", "escape"));
});
afterAll(async () => {
  await daemon.close();
  await openai.close();
  outside.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => daemon.request(path, { method: "POST", body: JSON.stringify(body), headers });
const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;
const ended = (id: string) =>
  waitFor(async () => {
    const job = await json<Job>(await daemon.request(`/v1/jobs/${id}`));
    return job.state === "done" || job.state === "error" ? job : undefined;
  });

describe("craft jobs", () => {
  it("creates a queued job (202, Location) that the runner takes to done; GET shows usage, cost and events", async () => {
    const response = await post("/v1/jobs/craft", { ideas: ["a CSV to JSON converter"], purpose: "code", lang: "pt-BR", maxTokens: 300 });
    expect(response.status).toBe(202);
    const job = await json<Job>(response);
    expect(response.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
    expect(response.headers.get("idempotent-replayed")).toBeNull();
    expect(job).toMatchObject({ state: "queued", promptPurpose: "craft", provider: "openai", model: "gpt-4.1-mini", sessionId: job.id });
    expect(job.input).toMatchObject({ ideas: ["a CSV to JSON converter"], purpose: "code", lang: "pt-BR", maxTokens: 300, providerName: "openai", scope: expect.stringMatching(/^token:[0-9a-f]{16}$/) });
    const done = await ended(job.id);
    expect(done).toMatchObject({
      state: "done",
      result: { prompt: { id: "craft-prompt" }, purpose: "code", artifact: "crafted-prompt.md" },
      usage: { total: expect.any(Number) },
      costMicros: expect.any(Number),
      artifacts: [{ name: "crafted-prompt.md", kind: "crafted-prompt", contentType: "text/markdown; charset=utf-8", url: `/v1/jobs/${job.id}/artifacts/crafted-prompt.md` }],
    });
    expect((done as unknown as { eventCount: number }).eventCount).toBeGreaterThan(4);
    // The real craft handler asked the (fake) vendor with the registry prompt.
    expect(JSON.stringify(openai.requests.at(-1)?.body)).toContain("a CSV to JSON converter");
  });

  it("resolves the provider before creating anything: unknown or unconfigured providers are 400s", async () => {
    const before = (await json<{ jobs: Job[] }>(await daemon.request("/v1/jobs?limit=500"))).jobs.length;
    expect(await json(await post("/v1/jobs/craft", { ideas: ["x"], provider: "nope" }))).toMatchObject({ status: 400, code: "provider_unknown" });
    expect(await json(await post("/v1/jobs/craft", { ideas: ["x"], provider: "anthropic" }))).toMatchObject({ status: 400, code: "provider_not_configured" });
    expect(await json(await post("/v1/jobs/craft", { ideas: ["x"], lang: "<script>" }))).toMatchObject({ status: 400, code: "invalid_input" });
    expect((await json<{ jobs: Job[] }>(await daemon.request("/v1/jobs?limit=500"))).jobs).toHaveLength(before);
  });
});

describe("evolve jobs", () => {
  it("accepts a cwd inside the served root and creates the job grompt evolve would, with its real path and the token's scope", async () => {
    const response = await post("/v1/jobs/evolve", { instruction: "rename foo to bar", cwd: join(daemon.dir, "repo", ".", ""), include: ["src/**"], maxRounds: 1, validate: false });
    expect(response.status).toBe(202);
    const job = await json<Job>(response);
    expect(job).toMatchObject({ state: "queued", promptPurpose: "refactor", provider: "openai", model: "gpt-4.1-mini" });
    expect(job.input).toEqual({
      instruction: "rename foo to bar",
      cwd: realpathSync(join(daemon.dir, "repo")),
      include: ["src/**"],
      maxRounds: 1,
      validate: false,
      provider: "openai",
      model: "gpt-4.1-mini",
      scope: expect.stringMatching(/^token:[0-9a-f]{16}$/),
    });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: daemon.dir, checks: [{ name: "tsc", run: "rm -rf /" }] }))).toMatchObject({ status: 400, code: "invalid_input" });
  });

  it("refuses a relative cwd (400), one outside the served roots or escaping through a symlink (403), a missing one (400)", async () => {
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: "repo" }))).toMatchObject({ status: 400, code: "invalid_input", detail: 'cwd must be an absolute path, not "repo"' });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: outside.dir }))).toMatchObject({ status: 403, code: "forbidden", hint: expect.stringContaining("--root") });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: join(daemon.dir, "repo", "escape") }))).toMatchObject({ status: 403, code: "forbidden" });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: join(daemon.dir, "absent") }))).toMatchObject({ status: 400, code: "invalid_input" });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: join(daemon.dir, "..", "..") }))).toMatchObject({ status: 403 });
    expect(await json(await post("/v1/jobs/evolve", { instruction: "x", cwd: daemon.dir, prompt: "no-such-prompt" }))).toMatchObject({ status: 404, code: "prompt_not_found" });
  });
});

describe("listing, cancel and artifacts", () => {
  it("lists newest first with filters and a cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await json<Job>(await post("/v1/jobs/craft", { ideas: [`list ${i}`], sessionId: "list-session" }))).id);
    const first = await json<{ jobs: Job[]; nextCursor?: string }>(await daemon.request("/v1/jobs?sessionId=list-session&limit=2"));
    expect(first.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const second = await json<{ jobs: Job[]; nextCursor?: string }>(await daemon.request(`/v1/jobs?sessionId=list-session&limit=2&cursor=${first.nextCursor}`));
    expect(second.jobs.map((j) => j.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeUndefined();
    const crafts = await json<{ jobs: Job[] }>(await daemon.request("/v1/jobs?purpose=craft&purpose=summarize&limit=500"));
    expect(crafts.jobs.every((j) => j.promptPurpose === "craft")).toBe(true);
    const refactors = await json<{ jobs: Job[] }>(await daemon.request("/v1/jobs?purpose=refactor"));
    expect(refactors.jobs.length).toBeGreaterThan(0);
    expect(refactors.jobs.every((j) => j.promptPurpose === "refactor")).toBe(true);
    const ended = await json<{ jobs: Job[] }>(await daemon.request("/v1/jobs?state=done&state=error&limit=500"));
    expect(ended.jobs.every((j) => j.state === "done" || j.state === "error")).toBe(true);
    expect(await json(await daemon.request("/v1/jobs?state=sleeping"))).toMatchObject({ status: 400, code: "invalid_input" });
  });

  it("cancels a queued job at once, asks a running one's runner to stop it, and refuses to cancel a finished one", async () => {
    // One runner slot, held by a call that never answers: the next job stays queued.
    const hanging = await startFakeServer("openai", { fallback: () => ({ kind: "hang" }) });
    const local = await startTestDaemon({ env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: hanging.baseUrl }, flags: { queue: { concurrency: 1 } } });
    const send = (path: string, body?: unknown) => local.request(path, { method: "POST", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const running = await json<Job>(await send("/v1/jobs/craft", { ideas: ["hangs"] }));
    await waitFor(async () => (await json<Job>(await local.request(`/v1/jobs/${running.id}`))).state === "prompting");
    const queued = await json<Job>(await send("/v1/jobs/craft", { ideas: ["waits"] }));
    const canceled = await send(`/v1/jobs/${queued.id}/cancel`, { reason: "changed my mind" });
    expect(canceled.status).toBe(200);
    expect(await json(canceled)).toMatchObject({ outcome: "canceled", job: { state: "error", error: { code: "canceled", message: "changed my mind" } } });
    // Without a body: curl -X POST .../cancel.
    const stop = await send(`/v1/jobs/${running.id}/cancel`);
    expect(await json(stop)).toMatchObject({ outcome: "requested", job: { id: running.id, cancelRequested: true } });
    const stopped = await waitFor(async () => {
      const job = await json<Job>(await local.request(`/v1/jobs/${running.id}`));
      return job.state === "error" ? job : undefined;
    });
    expect(stopped.error).toMatchObject({ code: "canceled" });
    expect(await json(await send(`/v1/jobs/${queued.id}/cancel`, {}))).toMatchObject({ status: 409, code: "invalid_transition" });
    await local.close();
    await hanging.close();
  });

  it("lists a job's artifacts and serves each with its content type and sha256", async () => {
    const job = await json<Job>(await post("/v1/jobs/craft", { ideas: ["with an artifact"] }));
    await ended(job.id);
    const text = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
    const ref = await daemon.container.blobs.put(text);
    const store = await daemon.container.store();
    await store.recordArtifact({ jobId: job.id, name: "changes.patch", kind: "patch", storageUrl: ref.url, sha256: ref.sha256, bytes: ref.bytes, contentType: "text/x-diff; charset=utf-8", createdAt: new Date().toISOString() });
    const list = await json<{ artifacts: Record<string, unknown>[] }>(await daemon.request(`/v1/jobs/${job.id}/artifacts`));
    expect(list.artifacts.map((a) => a.name)).toEqual(["crafted-prompt.md", "changes.patch"]);
    expect(list.artifacts[1]).toEqual({ name: "changes.patch", kind: "patch", sha256: ref.sha256, bytes: ref.bytes, contentType: "text/x-diff; charset=utf-8", createdAt: expect.any(String), url: `/v1/jobs/${job.id}/artifacts/changes.patch` });
    // Where blobs live on the daemon's disk is not the client's business.
    expect(JSON.stringify(list)).not.toContain("file:");
    const download = await daemon.request(`/v1/jobs/${job.id}/artifacts/changes.patch`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("text/x-diff; charset=utf-8");
    expect(download.headers.get("x-content-sha256")).toBe(ref.sha256);
    expect(download.headers.get("etag")).toBe(`"${ref.sha256}"`);
    expect(download.headers.get("repr-digest")).toBe(`sha-256=:${Buffer.from(ref.sha256, "hex").toString("base64")}:`);
    expect(download.headers.get("content-disposition")).toContain('filename="changes.patch"');
    expect(await download.text()).toBe(text);
    const crafted = await daemon.request(`/v1/jobs/${job.id}/artifacts/crafted-prompt.md`);
    const body = await crafted.text();
    expect(crafted.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(body).toMatch(/^echo: Turn these ideas into one structured prompt[\s\S]*with an artifact/);
    expect(createHash("sha256").update(body).digest("hex")).toBe(crafted.headers.get("x-content-sha256"));
    const again = await daemon.request(`/v1/jobs/${job.id}/artifacts/changes.patch`, { headers: { "if-none-match": `"${ref.sha256}"` } });
    expect(again.status).toBe(304);
    expect(await json(await daemon.request(`/v1/jobs/${job.id}/artifacts/report.json`))).toMatchObject({ status: 404, code: "not_found" });
    expect(await json(await daemon.request(`/v1/jobs/01NOPE/artifacts`))).toMatchObject({ status: 404, code: "not_found" });
    rmSync(fileURLToPath(ref.url));
    expect(await json(await daemon.request(`/v1/jobs/${job.id}/artifacts/changes.patch`))).toMatchObject({ status: 404, detail: expect.stringContaining("missing from the artifact store") });
  });
});
