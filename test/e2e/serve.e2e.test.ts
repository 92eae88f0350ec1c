import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { type IncomingMessage, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../src/core/domain/job";
import type { JobEventRecord } from "../../src/core/domain/job-events";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { makeProject } from "../support/git-fixture";
import { pricingProject as pricing } from "../support/pricing-project";
import { makeSandbox, runGrompt } from "../support/run-grompt";
import { type ServeProcess, startServeProcess } from "../support/serve-process";
import { openSse } from "../support/sse-client";

const providerKey = "sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0";


describe("grompt serve (the built CLI, a real process)", () => {
  let openai: FakeServer;
  let sandbox: ReturnType<typeof makeSandbox>;
  let env: NodeJS.ProcessEnv;
  let serve: ServeProcess | undefined;
  const home = () => join(sandbox.dir, "home");

  beforeAll(async () => {
    openai = await startFakeServer("openai", { apiKey: providerKey });
  });
  afterAll(async () => openai.close());
  beforeEach(() => {
    openai.reset();
    sandbox = makeSandbox();
    env = { ...sandbox.env, OPENAI_API_KEY: providerKey, OPENAI_BASE_URL: openai.baseUrl };
  });
  afterEach(async () => {
    if (serve !== undefined && serve.child.exitCode === null) await serve.stop("SIGKILL");
    serve = undefined;
    sandbox.cleanup();
  });

  it("generates its token on first start (0600), answers /healthz openly and everything else with the token", async () => {
    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home() });
    expect(statSync(join(home(), "token")).mode & 0o777).toBe(0o600);
    expect(serve.stdout()).toContain(`token   ${join(home(), "token")} (generated now)`);
    expect(serve.stdout()).not.toContain(serve.token);
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${serve.url}/v1/jobs`)).status).toBe(401);
    expect((await serve.request("/v1/jobs")).status).toBe(200);
    const stopped = await serve.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(serve.stdout()).toContain("SIGTERM, shutting down");

    // The second start reuses it.
    const before = serve.token;
    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home() });
    expect(serve.token).toBe(before);
    expect((await serve.stop("SIGINT")).code).toBe(0);
  });

  it("takes GROMPT_TOKEN instead of a file, and warns when bound beyond loopback", async () => {
    serve = await startServeProcess({ env: { ...env, GROMPT_TOKEN: "a-token-from-the-environment" }, cwd: sandbox.dir, home: home(), args: ["--host", "0.0.0.0"] });
    await serve.waitForOutput("stderr", /warning.*listening on 0\.0\.0\.0, not loopback/);
    const local = serve.url.replace("0.0.0.0", "127.0.0.1");
    expect((await fetch(`${local}/v1/jobs`, { headers: { authorization: "Bearer a-token-from-the-environment" } })).status).toBe(200);
    expect(() => statSync(join(home(), "token"))).toThrow();
    await serve.stop();
  });

  it("refuses a --root that is not a directory and a port in use, with exit 2 and one line", async () => {
    const badRoot = await runGrompt(["serve", "--port", "0", "--root", join(sandbox.dir, "absent")], { env, cwd: sandbox.dir });
    expect(badRoot.exitCode).toBe(2);
    expect(badRoot.stderr).toMatch(/error \[usage\] --root .*absent is not a directory/);
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as AddressInfo;
    const inUse = await runGrompt(["serve", "--port", String(port)], { env, cwd: sandbox.dir });
    busy.close();
    expect(inUse.exitCode).toBe(2);
    expect(inUse.stderr).toContain("Another process uses that port");
  });

  it("counts the CLI's provider calls in the daemon's /metrics when they share the home", async () => {
    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home() });
    const sample = async (name: string) => {
      const text = await (await serve?.request("/metrics"))?.text();
      const line = text?.split("\n").find((l) => l.startsWith(name));
      return line === undefined ? 0 : Number(line.split(" ").pop());
    };
    const prompt = `grompt_tokens_total{provider="openai",model="gpt-4.1-mini",type="prompt"}`;
    const cost = `grompt_cost_cents_total{provider="openai",model="gpt-4.1-mini"}`;
    expect(await sample(prompt)).toBe(0);
    openai.enqueue({ kind: "error", status: 429, retryAfterMs: 1 }, { kind: "text", text: "from the cli", usage: { prompt: 1_000, completion: 500 } });
    const ask = await runGrompt(["ask", "hello from the terminal"], { env, cwd: sandbox.dir });
    expect(ask.exitCode).toBe(0);
    expect(await sample(`grompt_provider_retries_total{provider="openai",model="gpt-4.1-mini",code="rate_limited"}`)).toBe(1);
    expect(await sample(prompt)).toBe(1_000);
    expect(await sample(cost)).toBeCloseTo((1_000 * 0.4 + 500 * 1.6) / 10_000, 6);
    // A cached repeat costs nothing and counts as a hit.
    await runGrompt(["ask", "hello from the terminal"], { env, cwd: sandbox.dir });
    expect(await sample("grompt_cache_hits_total")).toBe(1);
    expect(await sample(prompt)).toBe(1_000);
    await serve.stop();
  });

  it("makes the CLI honour the daily cost quota too: quota_exceeded, exit 2", async () => {
    const ask = await runGrompt(["ask", "anything"], { env: { ...env, GROMPT_DAILY_COST_USD: "0.000001" }, cwd: sandbox.dir });
    expect(ask.exitCode).toBe(2);
    expect(ask.stderr).toMatch(/error \[quota_exceeded\] This call could pass the daily cost quota/);
    expect(ask.stderr).toContain("hint: It resets at 00:00 UTC");
    expect(openai.requests).toHaveLength(0);
  });

  it("exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set", async () => {
    const received: { path: string; body: string; type?: string }[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => void (body += chunk));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body, type: req.headers["content-type"] });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    serve = await startServeProcess({ env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, cwd: sandbox.dir, home: home() });
    expect(serve.stdout()).toContain("traces  exported over OTLP");
    await serve.request("/v1/jobs", { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
    await serve.request("/v1/jobs/01NOPE");
    const job = (await (await serve.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["traced"] }) })).json()) as Job;
    const stream = await openSse(`${serve.url}/v1/jobs/${job.id}/stream`, { authorization: `Bearer ${serve.token}` });
    await stream.ended;
    expect((await serve.stop()).code).toBe(0);
    collector.close();
    const spans = received.filter((r) => r.path === "/v1/traces").map((r) => r.body).join("\n");
    expect(spans).toContain("GET /v1/jobs");
    expect(spans).toContain("GET /v1/jobs/:id");
    // The queue hand-off and the provider call of the job the request created.
    expect(spans).toContain("POST /v1/jobs/craft");
    expect(spans).toContain("job.run");
    expect(spans).toContain("provider.call");
    // The caller's trace id is continued.
    expect(spans).toContain("0af7651916cd43dd8448eb211c80319c");
  });

  it("hands a running job back on SIGTERM (streams end with server-shutdown) and finishes it after a restart: no job lost", async () => {
    openai.enqueue({ kind: "text", chunks: Array.from({ length: 40 }, (_, i) => `part${i} `), chunkDelayMs: 100 });
    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home() });
    const job = (await (await serve.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["survive a restart"] }) })).json()) as Job;
    const stream = await openSse(`${serve.url}/v1/jobs/${job.id}/stream`, { authorization: `Bearer ${serve.token}` });
    await stream.waitFor((f) => f.event === "provider-chunk");
    const stopped = await serve.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(serve.stdout()).toContain("grompt serve: stopped");
    await stream.ended;
    expect(stream.frames.at(-1)).toMatchObject({ event: "server-shutdown" });
    expect(openai.requests[0]?.clientAborted).toBe(true);

    const shown = JSON.parse((await runGrompt(["jobs", "show", job.id, "--json"], { env, cwd: sandbox.dir })).stdout) as { job: Job };
    expect(shown.job.state).toBe("prompting");
    const logs = (await runGrompt(["jobs", "logs", job.id, "--json"], { env, cwd: sandbox.dir })).stdout.trim().split("\n").map((l) => JSON.parse(l) as JobEventRecord);
    expect(logs.at(-1)?.event).toMatchObject({ type: "job-released", reason: "the worker is shutting down" });

    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home() });
    const resumed = await openSse(`${serve.url}/v1/jobs/${job.id}/stream`, { authorization: `Bearer ${serve.token}`, "last-event-id": String(logs.at(-1)?.seq) });
    await resumed.ended;
    const events = resumed.frames.filter((f) => f.id !== undefined).map((f) => (JSON.parse(f.data ?? "{}") as JobEventRecord).event.type);
    expect(events[0]).toBe("job-resumed");
    expect(events.at(-1)).toBe("job-completed");
    const done = (await (await serve.request(`/v1/jobs/${job.id}`)).json()) as Job & { artifacts: { name: string }[] };
    expect(done).toMatchObject({ state: "done", attempts: 2, artifacts: [{ name: "crafted-prompt.md" }] });
    expect(openai.requests).toHaveLength(2);
    await serve.stop();
  });

  it("runs an evolve job posted over HTTP with the registered evolve handler and serves its validated patch", async () => {
    const project = makeProject(pricing, { linkNodeModules: true });
    try {
      const diff = "--- a/src/price.ts\n+++ b/src/price.ts\n@@ -1,3 +1,3 @@\n-export function formatPrice(cents: number): string {\n-  return `${(cents / 100).toFixed(2)} EUR`;\n+export function formatPrice(cents: number, currency = \"EUR\"): string {\n+  return `${(cents / 100).toFixed(2)} ${currency}`;\n }\n";
      openai.enqueue({ kind: "text", text: `\`\`\`diff\n${diff}\`\`\`\n` });
      const quiet = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("VITEST") && !name.startsWith("__VITEST")));
      serve = await startServeProcess({ env: quiet, cwd: sandbox.dir, home: home(), args: ["--root", dirname(project.dir)] });
      expect(serve.stdout()).toContain("runs    craft, refactor");
      const created = await serve.request("/v1/jobs/evolve", { method: "POST", body: JSON.stringify({ instruction: "Let formatPrice take the currency code as a parameter.", cwd: project.dir }) });
      expect(created.status).toBe(202);
      const job = (await created.json()) as Job;
      const stream = await openSse(`${serve.url}/v1/jobs/${job.id}/stream`, { authorization: `Bearer ${serve.token}` });
      const ended = await Promise.race([stream.ended.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 100_000))]);
      if (!ended) throw new Error(`the job did not end: ${JSON.stringify(stream.frames.map((f) => f.data?.slice(0, 300)))}\n${serve.stdout()}\n${serve.stderr()}`);
      const states = stream.frames.filter((f) => f.event === "state-changed").map((f) => (JSON.parse(f.data ?? "{}") as { event: { to: string } }).event.to);
      expect(states).toEqual(["snapshotting", "prompting", "diffing", "done"]);
      const { artifacts } = (await (await serve.request(`/v1/jobs/${job.id}/artifacts`)).json()) as { artifacts: { name: string; url: string; sha256: string }[] };
      const patch = artifacts.find((a) => a.name.endsWith(".patch"));
      expect(patch).toBeDefined();
      const download = await serve.request(patch?.url ?? "");
      const body = await download.text();
      expect(download.headers.get("x-content-sha256")).toBe(createHash("sha256").update(body).digest("hex"));
      expect(body).toContain('+export function formatPrice(cents: number, currency = "EUR"): string {');
      // The user's tree is untouched: the patch was validated in a temporary worktree.
      expect(readFileSync(join(project.dir, "src", "price.ts"), "utf8")).toBe(pricing["src/price.ts"]);
      await serve.stop();
    } finally {
      project.cleanup();
    }
  }, 120_000);

  it("never writes a provider key or the bearer token into a response or a log line", async () => {
    serve = await startServeProcess({ env, cwd: sandbox.dir, home: home(), args: ["--verbose"] });
    const bodies = [
      await (await serve.request("/v1/providers")).text(),
      await (await serve.request("/v1/providers/test", { method: "POST", body: JSON.stringify({ provider: "openai" }) })).text(),
      await (await serve.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["keys"] }) })).text(),
      await (await serve.request("/v1/openapi.json")).text(),
      await (await serve.request("/metrics")).text(),
    ];
    expect(JSON.parse(bodies[0] as string)).toMatchObject({ providers: expect.arrayContaining([expect.objectContaining({ name: "openai", configured: true, reason: "API key set" })]) });
    expect(JSON.parse(bodies[1] as string)).toMatchObject({ ok: true, name: "openai" });
    await serve.stop();
    const logs = readdirSync(join(home(), "logs")).map((file) => readFileSync(join(home(), "logs", file), "utf8")).join("");
    for (const text of [...bodies, logs, serve.stdout(), serve.stderr()]) {
      expect(text).not.toContain(providerKey);
      expect(text).not.toContain(serve.token);
    }
    expect(logs).toMatch(/"provider_call_id":"[0-9A-Z]{26}"/);
    for (const line of logs.split("\n").filter((l) => l.includes('"provider"') && l.includes("provider call"))) {
      expect(line).toContain("provider_call_id");
    }
  });
});
