import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { spawnFakeServer } from "../fakes/spawn-fake-server";
import { makeSandbox, runGrompt } from "../support/run-grompt";

describe("grompt ask / providers against fake vendors", () => {
  let openai: FakeServer;
  let gemini: FakeServer;
  let sandbox: ReturnType<typeof makeSandbox>;
  let env: NodeJS.ProcessEnv;
  const grompt = (args: string[], extra: NodeJS.ProcessEnv = {}, options: Omit<Parameters<typeof runGrompt>[1], "env" | "cwd"> = {}) =>
    runGrompt(args, { env: { ...env, ...extra }, cwd: sandbox.dir, ...options });

  beforeAll(async () => {
    [openai, gemini] = await Promise.all([startFakeServer("openai"), startFakeServer("gemini")]);
  });
  afterAll(async () => Promise.all([openai.close(), gemini.close()]));
  beforeEach(() => {
    openai.reset();
    gemini.reset();
    sandbox = makeSandbox();
    env = { ...sandbox.env, OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: "test-key" };
  });
  afterEach(() => sandbox.cleanup());

  it("asks the default provider and prints the answer, then a summary on stderr", async () => {
    const run = await grompt(["ask", "hello there", "--system", "be brief"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("echo: hello there");
    expect(run.stderr).toMatch(/openai gpt-4\.1-mini · \d+ in \/ \d+ out tokens · \$0\.\d{6} · \d+ ms/);
    expect(openai.requests[0]?.headers.authorization).toBe("Bearer test-key");
    expect(openai.requests[0]?.body).toMatchObject({ model: "gpt-4.1-mini", stream: true, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello there" }] });
  });

  it("streams the answer to the terminal as it arrives", async () => {
    openai.enqueue({ kind: "text", chunks: ["first ", "second"], chunkDelayMs: 400 });
    const run = await grompt(["ask", "slowly"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("first second");
    expect(run.stdoutTimes.length).toBeGreaterThanOrEqual(2);
    expect(run.durationMs - (run.stdoutTimes[0] ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it("prints JSON with usage and cost, answers a repeat from the cache and skips it with --no-cache", async () => {
    openai.enqueue({ kind: "text", text: "priced", usage: { prompt: 1000, completion: 100 } });
    const first = JSON.parse((await grompt(["ask", "q", "--json", "--max-tokens", "50"])).stdout) as Record<string, unknown>;
    expect(first).toMatchObject({ text: "priced", provider: "openai", usage: { prompt: 1000, completion: 100, total: 1100 }, costMicros: 560, cached: false, name: "openai" });
    expect(openai.requests[0]?.body).toMatchObject({ max_tokens: 50 });
    const second = await grompt(["ask", "q", "--max-tokens", "50"]);
    expect(second.stdout).toBe("priced");
    expect(second.stderr).toContain("cached, $0");
    expect(openai.requests).toHaveLength(1);
    await grompt(["ask", "q", "--max-tokens", "50", "--no-cache"]);
    expect(openai.requests).toHaveLength(2);
  });

  it("names the variable to set when a key is missing (exit 2)", async () => {
    const run = await grompt(["ask", "hi", "--provider", "anthropic"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("[provider_not_configured] anthropic has no API key: set ANTHROPIC_API_KEY");
    const none = await runGrompt(["ask", "hi"], { env: sandbox.env, cwd: sandbox.dir });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("set OPENAI_API_KEY");
  });

  it("reports a rejected key with the vendor's reason (exit 3), never printing the key", async () => {
    const run = await grompt(["ask", "hi"], { OPENAI_API_KEY: "sk-wrong-key-0123456789abcdef" });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("[auth] openai 401: Incorrect API key provided");
    expect(run.stderr).not.toContain("sk-wrong-key-0123456789abcdef");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("talks to Gemini through GEMINI_BASE_URL and to Anthropic through a fake run as its own process", async () => {
    const geminiRun = await grompt(["ask", "hi gemini", "--provider", "gemini"], { GEMINI_BASE_URL: gemini.origin, GEMINI_API_KEY: "test-key" });
    expect(geminiRun.stdout).toBe("echo: hi gemini");
    expect(gemini.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

    const anthropic = await spawnFakeServer("anthropic");
    try {
      await anthropic.enqueue({ kind: "text", text: "from a separate process" });
      const run = await grompt(["ask", "hi", "--provider", "anthropic:claude-haiku-4-5"], { ANTHROPIC_BASE_URL: anthropic.baseUrl, ANTHROPIC_API_KEY: "test-key" });
      expect(run.stdout).toBe("from a separate process");
      expect(run.stderr).toContain("anthropic claude-haiku-4-5");
      expect((await anthropic.requests())[0]).toMatchObject({ path: "/v1/messages", body: { model: "claude-haiku-4-5", stream: true } });
    } finally {
      await anthropic.stop();
    }
  });

  it("records a cassette and replays it with no key and no network; a miss names the hash (exit 3)", async () => {
    const cassette = join(sandbox.dir, "demo.jsonl");
    openai.enqueue({ kind: "text", chunks: ["re", "play", "ed"] });
    expect((await grompt(["ask", "record me", "--record", cassette])).exitCode).toBe(0);
    expect(readFileSync(cassette, "utf8").trim().split("\n")).toHaveLength(1);

    const replay = await runGrompt(["ask", "record me", "--cassette", cassette], { env: sandbox.env, cwd: sandbox.dir });
    expect(replay.exitCode).toBe(0);
    expect(replay.stdout).toBe("replayed");
    expect(replay.stderr).toContain("replay (openai) gpt-4.1-mini");
    const miss = await runGrompt(["ask", "never recorded", "--provider", "replay", "--cassette", cassette], { env: sandbox.env, cwd: sandbox.dir });
    expect(miss.exitCode).toBe(3);
    expect(miss.stderr).toMatch(/\[replay_miss\] .*demo\.jsonl has no recording of this request \(hash [0-9a-f]{64}/);
    expect(openai.requests).toHaveLength(1);
  });

  it("lists providers with their status, default model and prices", async () => {
    const text = await grompt(["providers", "list"]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain("no API key: set ANTHROPIC_API_KEY");
    expect(text.stdout).toMatch(/openai\s.*yes\s.*gpt-4\.1-mini\s.*0\.40 \/ 0\.10 \/ 1\.60/);
    const json = JSON.parse((await grompt(["providers", "list", "--json"])).stdout) as { providers: { name: string; configured: boolean }[] };
    expect(json.providers.map((p) => [p.name, p.configured])).toEqual([
      ["openai", true],
      ["anthropic", false],
      ["gemini", false],
      ["replay", true],
    ]);
  });

  it("tests a provider with one tiny call, and fails with exit 3 and the vendor's reason", async () => {
    openai.enqueue({ kind: "text", text: "pong", usage: { prompt: 12, completion: 1 } });
    const ok = await grompt(["providers", "test", "openai"]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/✓ openai gpt-4\.1-mini · \d+ ms · 12 in \/ 1 out tokens · \$0\.000006 · answered "pong"/);
    expect(openai.requests[0]?.body).toMatchObject({ max_tokens: 32 });

    openai.enqueue({ kind: "error", status: 403, message: "Project does not have access to model gpt-4.1-mini" });
    const denied = await grompt(["providers", "test"]);
    expect(denied.exitCode).toBe(3);
    expect(denied.stdout).toContain("✗ openai gpt-4.1-mini · auth: openai 403: Project does not have access");
    expect(denied.stderr).toContain("[auth]");
  });

  it("with GROMPT_CHAOS_429=1 retries, then ends in a typed rate_limited error without touching the network", async () => {
    const run = await grompt(["ask", "hi"], { GROMPT_CHAOS_429: "1" });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain("[rate_limited] openai 429: simulated rate limit");
    expect(openai.requests).toHaveLength(0);
  });

  it("Ctrl-C aborts the request in flight and exits 130", async () => {
    openai.enqueue({ kind: "hang" });
    const run = await grompt(["ask", "wait"], {}, {
      onStart: (child) => {
        const poll = setInterval(() => {
          if (openai.requests.length > 0) {
            clearInterval(poll);
            child.kill("SIGINT");
          }
        }, 20);
      },
    });
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain("[canceled]");
    await expect.poll(() => openai.requests[0]?.clientAborted).toBe(true);
  });
});

describe("grompt ask reading stdin", () => {
  it("takes the prompt from stdin with -", async () => {
    const openai = await startFakeServer("openai", { apiKey: null });
    const sandbox = makeSandbox();
    try {
      const run = await runGrompt(["ask", "-"], { env: { ...sandbox.env, OPENAI_BASE_URL: openai.baseUrl }, cwd: sandbox.dir, input: "from a pipe" });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe("echo: from a pipe");
      expect(openai.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      sandbox.cleanup();
      await openai.close();
    }
  });
});
