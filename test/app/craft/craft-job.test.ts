import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Container, createContainer } from "../../../src/app/container";
import { createCraftJob } from "../../../src/app/craft/create-craft-job";
import { builtInPromptsDir } from "../../../src/app/prompts/prompt-directories";
import { createJobContext } from "../../../src/app/runner/job-context";
import type { JobRunner } from "../../../src/app/runner/job-runner";
import { type Job, isTerminal } from "../../../src/core/domain/job";
import type { JobEvent } from "../../../src/core/domain/job-events";
import { type FakeServer, startFakeServer } from "../../fakes/fake-server";
import { waitFor } from "../../support/engine";
import { useTempDir } from "../../support/prompt-fixtures";

const answer = "# Role\nYou are a senior engineer.\n\n## Task\nConvert CSV to JSON, streaming.\n";

describe("craft jobs through the real runner", () => {
  let openai: FakeServer;
  let container: Container;
  let runner: JobRunner;
  let dir: ReturnType<ReturnType<typeof useTempDir>>;
  const tempDir = useTempDir("grompt-craft-job-");

  beforeAll(async () => {
    openai = await startFakeServer("openai");
  });
  afterAll(() => openai.close());
  beforeEach(async () => {
    openai.reset();
    dir = tempDir();
    const env = { GROMPT_HOME: join(dir.root, "home"), XDG_CONFIG_HOME: join(dir.root, "xdg"), OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: "test-key" };
    container = createContainer({ cwd: dir.root, env });
    runner = await container.runner({ handlers: await container.jobHandlers(), pollMs: 50 });
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await container.close();
  });

  const craft = async (request: Parameters<typeof createCraftJob>[0] = { ideas: ["a csv to json cli", "stream it"], purpose: "code", maxTokens: 400 }) =>
    (await createCraftJob(request, { jobs: await container.jobs(), providers: container.providers })).job;
  const ended = (id: string): Promise<Job> =>
    waitFor(async () => {
      const job = await (await container.jobs()).get(id);
      return isTerminal(job.state) ? job : undefined;
    });
  const events = async (id: string): Promise<JobEvent[]> => (await (await container.jobs()).events(id)).map((record) => record.event);
  const chunkText = (log: JobEvent[]) => log.map((event) => (event.type === "provider-chunk" ? event.text : "")).join("");

  it("goes queued → prompting → done, streaming the answer into events and storing usage, cost and the artifact", async () => {
    openai.enqueue({ kind: "text", text: answer, usage: { prompt: 1200, completion: 300 } });
    const created = await craft();
    expect(created).toMatchObject({ state: "queued", promptPurpose: "craft", provider: "openai", model: "gpt-4.1-mini" });
    const job = await ended(created.id);
    expect(job).toMatchObject({ state: "done", usage: { prompt: 1200, completion: 300, total: 1500 }, costMicros: 960 });
    expect(job.result).toMatchObject({ prompt: { id: "craft-prompt", version: "1.0.0" }, purpose: "code", artifact: "crafted-prompt.md", finishReason: "stop" });

    const log = await events(job.id);
    const types = log.map((event) => event.type).filter((type, index, all) => type !== "provider-chunk" || all[index - 1] !== "provider-chunk");
    expect(types).toEqual(["job-created", "state-changed", "provider-call-started", "provider-chunk", "provider-call-finished", "artifact-stored", "state-changed", "job-completed"]);
    expect(chunkText(log)).toBe(answer);
    expect(log.find((event) => event.type === "provider-call-finished")).toMatchObject({ usage: { total: 1500 }, costMicros: 960, cached: false });

    const { artifacts } = await (await container.jobs()).show(job.id);
    expect(artifacts).toMatchObject([{ name: "crafted-prompt.md", kind: "crafted-prompt", contentType: "text/markdown; charset=utf-8", bytes: Buffer.byteLength(answer) }]);
    expect(Buffer.from(await container.blobs.get(artifacts[0]?.sha256 ?? "")).toString()).toBe(answer);
    expect(artifacts[0]?.storageUrl).toMatch(/^file:\/\/.*\/home\/artifacts\/[0-9a-f]{2}\/[0-9a-f]{64}$/);

    // What the vendor got: craft-prompt rendered with the ideas, the length limit capping the answer
    // (as max_tokens: a base URL makes it an OpenAI-compatible server).
    const body = openai.requests[0]?.body as { messages: { role: string; content: string }[]; max_tokens?: number; stream?: boolean };
    expect(body).toMatchObject({ stream: true, max_tokens: 600 });
    expect(body.messages[0]?.content).toContain("You are a prompt engineer.");
    expect(body.messages[1]?.content).toContain("- a csv to json cli\n- stream it\n");
    expect(body.messages[1]?.content).toContain("Keep the prompt within 400 tokens");
  });

  it("batches a long, fast stream into a few chunk events", async () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${i} `);
    openai.enqueue({ kind: "text", chunks: words });
    const job = await ended((await craft()).id);
    const log = await events(job.id);
    expect(chunkText(log)).toBe(words.join(""));
    const chunkEvents = log.filter((event) => event.type === "provider-chunk").length;
    expect(chunkEvents).toBeGreaterThanOrEqual(1);
    expect(chunkEvents).toBeLessThan(100);
  });

  it("records a retry as an event before the answer", async () => {
    openai.enqueue({ kind: "error", status: 429, retryAfterMs: 10 }, { kind: "text", text: answer });
    const job = await ended((await craft()).id);
    expect(job.state).toBe("done");
    const log = await events(job.id);
    const retried = log.findIndex((event) => event.type === "provider-retried");
    expect(log[retried]).toMatchObject({ type: "provider-retried", attempt: 2, code: "rate_limited", status: 429 });
    expect(retried).toBeLessThan(log.findIndex((event) => event.type === "provider-chunk"));
  });

  it("fails with the provider's error code, naming the vendor's reason", async () => {
    openai.enqueue({ kind: "error", status: 401 });
    const job = await ended((await craft()).id);
    expect(job).toMatchObject({ state: "error", error: { code: "auth" } });
    expect((await (await container.jobs()).show(job.id)).artifacts).toEqual([]);
  });

  it("checks the input guards before any call", async () => {
    const job = await ended((await craft({ ideas: ["lorem ipsum ".repeat(12_000)] })).id);
    expect(job).toMatchObject({ state: "error", error: { code: "guard_violated" } });
    expect(job.error?.message).toMatch(/^prompt craft-prompt: input guard max_tokens: /);
    expect(openai.requests).toEqual([]);
  });

  it("checks the output guards of the winning prompt file, keeping the usage of the rejected answer", async () => {
    const builtIn = readFileSync(join(builtInPromptsDir(), "craft-prompt.yml"), "utf8");
    dir.write(".grompt/prompts/craft-prompt.yml", builtIn.replace("guards:\n  max_tokens: 20000\n", 'guards:\n  max_tokens: 20000\n  must_include: ["## Acceptance criteria"]\n'));
    openai.enqueue({ kind: "text", text: answer, usage: { prompt: 100, completion: 20 } });
    const job = await ended((await craft()).id);
    expect(job).toMatchObject({ state: "error", error: { code: "guard_violated" }, usage: { total: 120 } });
    expect(job.error?.message).toContain('output guard must_include: the answer does not contain "## Acceptance criteria"');
    expect((await (await container.jobs()).show(job.id)).artifacts).toEqual([]);
  });

  it("is canceled mid-stream: the HTTP request is aborted and the job ends in error/canceled", async () => {
    openai.enqueue({ kind: "text", chunks: ["first ", "second ", "third"], chunkDelayMs: 400 });
    const { id } = await craft();
    await waitFor(async () => (await events(id)).some((event) => event.type === "provider-chunk"));
    await (await container.jobs()).cancel(id, { reason: "test" });
    const job = await ended(id);
    expect(job).toMatchObject({ state: "error", error: { code: "canceled" } });
    await waitFor(async () => openai.requests[0]?.clientAborted === true);
  });

  it("keeps an answer cut by the token cap, marking the job's result truncated", async () => {
    openai.enqueue({ kind: "text", text: "# Role\nYou are", finishReason: "length" });
    const job = await ended((await craft()).id);
    expect(job).toMatchObject({ state: "done", result: { finishReason: "length", truncated: true } });
  });

  it("can run again from the start after a crash (resume): one artifact, the same blob", async () => {
    await runner.stop();
    openai.enqueue({ kind: "text", text: answer }, { kind: "text", text: answer });
    const { id } = await craft();
    const store = await container.store();
    const handler = (await container.jobHandlers()).craft;
    const deps = { store, signals: container.signals, logger: container.logger, signal: new AbortController().signal };
    // The first run finishes its work but "crashes" before the runner commits done; a second run starts over.
    const first = await handler?.(createJobContext((await store.getJob(id)) as Job, deps));
    const second = await handler?.(createJobContext((await store.getJob(id)) as Job, deps));
    expect(second?.result.sha256).toBe(first?.result.sha256);
    expect((await (await container.jobs()).show(id)).artifacts).toHaveLength(1);
    expect((await events(id)).filter((event) => event.type === "state-changed")).toHaveLength(1);
  });

  it("records a cassette, then replays the same craft from it with no vendor, at no cost", async () => {
    const cassette = join(dir.root, "craft.jsonl");
    openai.enqueue({ kind: "text", chunks: ["# Role\n", "You are ", "a tester.\n"], usage: { prompt: 50, completion: 9 } });
    const recorded = await ended((await craft({ ideas: ["a tester"], record: cassette })).id);
    expect(recorded.state).toBe("done");
    expect(existsSync(cassette)).toBe(true);

    const replayed = await ended((await craft({ ideas: ["a tester"], cassette })).id);
    expect(replayed).toMatchObject({ state: "done", provider: "openai", model: "gpt-4.1-mini", usage: { total: 59 }, costMicros: 0, input: { providerName: "replay", cassette } });
    expect(chunkText(await events(replayed.id))).toBe("# Role\nYou are a tester.\n");
    expect(openai.requests).toHaveLength(1);

    const miss = await ended((await craft({ ideas: ["something never recorded"], cassette })).id);
    expect(miss).toMatchObject({ state: "error", error: { code: "replay_miss" } });
  });
});
