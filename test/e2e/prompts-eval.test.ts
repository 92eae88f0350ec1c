import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { makeSandbox, runGrompt } from "../support/run-grompt";

const repoRoot = join(import.meta.dirname, "..", "..");
const committed = join(repoRoot, "prompts", "evals", "cassette.jsonl");

interface EvalJson {
  passed: number;
  failed: number;
  results: { promptId: string; caseName: string; pass: boolean; reason: string; tokens: number; costMicros: number | null }[];
  provider: { name: string; id: string; model: string };
}

describe("grompt prompts eval (built CLI)", () => {
  let openai: FakeServer;
  let sandbox: ReturnType<typeof makeSandbox>;
  const grompt = (args: string[], extra: NodeJS.ProcessEnv = {}) => runGrompt(args, { env: { ...sandbox.env, ...extra }, cwd: sandbox.dir });

  beforeAll(async () => {
    openai = await startFakeServer("openai", { apiKey: null });
  });
  afterAll(() => openai.close());
  beforeEach(() => {
    openai.reset();
    sandbox = makeSandbox();
    mkdirSync(join(sandbox.dir, ".git"));
  });
  afterEach(() => sandbox.cleanup());

  it("passes every built-in case from the committed cassette, offline and keyless (exit 0)", async () => {
    const run = await grompt(["prompts", "eval", "--cassette", committed]);
    expect(run.exitCode).toBe(0);
    const rows = run.stdout.split("\n").filter((line) => /^│ [a-z-]+\/[a-z-]+ /.test(line));
    expect(rows).toHaveLength(12);
    expect(rows.every((row) => /│ pass\s+│/.test(row))).toBe(true);
    expect(run.stdout).toMatch(/^│ case\s+│ result │ reason\s+│ tokens │\s+cost │$/m);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(/^12 passed · \d+ tokens · \$0 · replay \(openai:gpt-4\.1-mini\)$/);
  });

  it("runs only the named prompts and reports JSON", async () => {
    const run = await grompt(["prompts", "eval", "refactor-small", "evolve-repair", "--cassette", committed, "--json"]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as EvalJson;
    expect(report.results.map((r) => `${r.promptId}/${r.caseName}`)).toEqual([
      "refactor-small/adds-a-parameter",
      "refactor-small/creates-a-file",
      "refactor-small/refuses-without-the-file",
      "evolve-repair/context-did-not-match",
      "evolve-repair/check-failed",
    ]);
    expect(report).toMatchObject({ passed: 5, failed: 0, provider: { name: "replay", id: "openai", model: "gpt-4.1-mini" } });
    // diff-applies went through the patch engine on each case's fixture.
    expect(JSON.stringify(report)).toContain('"reason":"applies: 2 hunk(s) in src/greet.ts, src/main.ts');
  });

  it("fails as a CI gate (exit 1) on bad answers — recorded from a provider, then replayed from that cassette", async () => {
    const cassette = join(sandbox.dir, "bad.jsonl");
    // The fake answers every request by echoing it: no case's assertions should hold for all of them.
    const live = await grompt(["prompts", "eval", "summarize", "custom", "--provider", "openai", "--record", cassette], { OPENAI_BASE_URL: openai.baseUrl });
    expect(live.exitCode).toBe(1);
    expect(openai.requests).toHaveLength(4);
    expect(live.stdout).toMatch(/│ FAIL\s+│/);
    expect(live.stdout.trimEnd().split("\n").at(-1)).toMatch(/^\d failed, \d passed · \d+ tokens · \$0\.\d+ · openai:gpt-4\.1-mini$/);

    const replayed = await grompt(["prompts", "eval", "summarize", "custom", "--cassette", cassette, "--json"]);
    expect(replayed.exitCode).toBe(1);
    const report = JSON.parse(replayed.stdout) as EvalJson;
    expect(report.failed).toBeGreaterThan(0);
    expect(report.results.find((r) => r.caseName === "follows-the-format")).toMatchObject({ pass: false, reason: expect.stringMatching(/^is-json: /) });
    expect(openai.requests).toHaveLength(4);
  });

  it("fails a case the cassette has no recording of, naming the request's hash", async () => {
    const builtIn = readFileSync(join(repoRoot, "prompts", "summarize.yml"), "utf8");
    mkdirSync(join(sandbox.dir, ".grompt", "prompts"), { recursive: true });
    writeFileSync(join(sandbox.dir, ".grompt", "prompts", "summarize.yml"), builtIn.replace("version: \"1.0.0\"", "version: \"1.1.0\"").replace(/^system: \|\n/m, "system: |\n  Be terse.\n"));
    const run = await grompt(["prompts", "eval", "summarize", "--cassette", committed, "--json"]);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as EvalJson;
    expect(report.results.map((r) => r.reason)).toEqual([expect.stringMatching(/^replay_miss: .* has no recording of this request \(hash [0-9a-f]{64}/), expect.stringMatching(/^replay_miss: /)]);
  });

  it.each([
    [["prompts", "eval", "no-such-prompt", "--cassette", committed], {}, '[prompt_not_found] no prompt has the id "no-such-prompt"'],
    [["prompts", "eval", "--cassette", committed], { FF_EVAL_LITE: "0" }, "[usage] prompt evals are turned off (flags.evalLite is false)"],
    [["prompts", "eval", "--cassette", join(repoRoot, "no-such.jsonl")], {}, "[invalid_input] Cassette"],
    [["prompts", "eval"], {}, "[provider_not_configured] openai has no API key: set OPENAI_API_KEY"],
  ])("refuses %j with one line and exit 2", async (args, extra, message) => {
    const run = await grompt(args, extra);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(`error ${message}`);
    expect(run.stdout).toBe("");
  });

  it("says how to turn evals on", async () => {
    const run = await grompt(["prompts", "eval"], { FF_EVAL_LITE: "0" });
    expect(run.stderr).toContain("hint: Turn them on with FF_EVAL_LITE=1, or `flags: { evalLite: true }` in .grompt/config.yaml.");
  });
});
