import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { gitEnv, makeProject, treeState } from "../support/git-fixture";
import { pricingProject as pricing } from "../support/pricing-project";
import { makeSandbox, runGrompt } from "../support/run-grompt";

const fence = (diff: string) => `\`\`\`diff\n${diff}\`\`\`\n`;
/** Adds a currency parameter with a default: nothing else has to change. */
const goodDiff = fence(
  "--- a/src/price.ts\n+++ b/src/price.ts\n@@ -1,3 +1,3 @@\n-export function formatPrice(cents: number): string {\n-  return `${(cents / 100).toFixed(2)} EUR`;\n+export function formatPrice(cents: number, currency = \"EUR\"): string {\n+  return `${(cents / 100).toFixed(2)} ${currency}`;\n }\n",
);
/** Makes the currency required without updating the caller: tsc fails in cart.ts. */
const breakingDiff = fence(
  "--- a/src/price.ts\n+++ b/src/price.ts\n@@ -1,3 +1,3 @@\n-export function formatPrice(cents: number): string {\n-  return `${(cents / 100).toFixed(2)} EUR`;\n+export function formatPrice(cents: number, currency: string): string {\n+  return `${(cents / 100).toFixed(2)} ${currency}`;\n }\n",
);
/** The repair: the same change plus the caller. */
const repairedDiff = fence(
  `${breakingDiff.slice(8, -4)}--- a/src/cart.ts\n+++ b/src/cart.ts\n@@ -1,3 +1,3 @@\n import { formatPrice } from "./price";\n \n-export const total = (items: number[]): string => formatPrice(items.reduce((a, b) => a + b, 0));\n+export const total = (items: number[]): string => formatPrice(items.reduce((a, b) => a + b, 0), "EUR");\n`,
);
const instruction = "Let formatPrice take the currency code as a parameter.";

let fake: FakeServer;
let sandbox: ReturnType<typeof makeSandbox>;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  fake = await startFakeServer("openai");
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  sandbox = makeSandbox();
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  sandbox.cleanup();
});

function project(files: Record<string, string>, options: { git?: boolean; tsc?: boolean } = {}): string {
  const made = makeProject(files, { git: options.git, linkNodeModules: options.tsc !== false });
  cleanups.push(made.cleanup);
  return made.dir;
}
/** The CLI against the fake OpenAI server; the outer vitest's own variables stay out of the checks it runs. */
const env = () => ({
  ...Object.fromEntries(Object.entries(sandbox.env).filter(([name]) => !name.startsWith("VITEST") && !name.startsWith("__VITEST"))),
  OPENAI_BASE_URL: fake.baseUrl,
  OPENAI_API_KEY: "test-key",
});
const grompt = (cwd: string, ...args: string[]) => runGrompt(args, { env: env(), cwd });
const homeOf = () => sandbox.env.GROMPT_HOME ?? "";
const userText = (index: number) => ((fake.requests[index]?.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === "user")?.content ?? "");
async function lastJobId(cwd: string): Promise<string> {
  const list = JSON.parse((await grompt(cwd, "jobs", "list", "--json")).stdout) as { jobs: { id: string }[] };
  return list.jobs[0]?.id ?? "";
}

describe("grompt evolve", () => {
  it("validates a good diff in a worktree, prints it, never touches the tree, and stores a patch git apply takes", async () => {
    const dir = project(pricing);
    const before = treeState(dir);
    fake.enqueue({ kind: "text", text: goodDiff });
    const run = await grompt(dir, "evolve", instruction, "--out", "../out");
    expect(run.stderr).toContain("Baseline: tsc passed");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('+export function formatPrice(cents: number, currency = "EUR"): string {');
    expect(run.stderr).toMatch(/Validated patch: 1 file, \+2 -2\nchecks: tsc ✔ · 1 round · [\d,]+ tokens · \$0\.\d+ · [\d.]+ s/);
    expect(treeState(dir)).toEqual(before);

    expect(userText(0)).toContain("\u001c/ src/price.ts /\u001c//");
    expect(userText(0)).toContain("- `tsc --noEmit`");
    const id = await lastJobId(dir);
    const shown = JSON.parse((await grompt(dir, "jobs", "show", id, "--json")).stdout) as { job: { state: string; usage: { total: number } }; artifacts: { name: string; kind: string }[] };
    expect(shown.job.state).toBe("done");
    expect(shown.artifacts.map((artifact) => `${artifact.name}:${artifact.kind}`).sort()).toEqual(["changes.patch:patch", "manifest.json:snapshot-manifest", "report.json:evolve-report", "snapshot.latx:snapshot-latx", "snapshot.zip:snapshot-zip"]);
    const report = JSON.parse(readFileSync(join(dir, "..", "out", "report.json"), "utf8"));
    expect(report.outcome).toEqual({ validated: true, validation: "passed" });
    expect(report.checks.rounds.map((round: { round: number; checks: { name: string; status: string }[] }) => [round.round, round.checks.map((c) => `${c.name}:${c.status}`)])).toEqual([[0, ["tsc:passed"]], [1, ["tsc:passed"]]]);
    expect(report.rounds[0].patch.files[0].hunks[0].strategy).toBe("exact");
    expect(readdirSync(join(homeOf(), "worktrees"))).toEqual([]);

    execFileSync("git", ["apply", join(dir, "..", "out", "changes.patch")], { cwd: dir, env: gitEnv });
    expect(readFileSync(join(dir, "src/price.ts"), "utf8")).toContain('currency = "EUR"');
  });

  it("feeds a diff that breaks tsc back to the model and validates the repaired one", async () => {
    const dir = project(pricing);
    fake.enqueue({ kind: "text", text: breakingDiff }, { kind: "text", text: repairedDiff });
    const run = await grompt(dir, "evolve", instruction);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("Round 1: tsc failed because of the patch");
    expect(run.stderr).toContain("Round 2: repairing, tsc --noEmit failed because of round 1's patch");
    expect(fake.requests).toHaveLength(2);
    expect(userText(1)).toContain("<failed-diff>");
    expect(userText(1)).toContain("It applied, but the project's checks failed.");
    expect(userText(1)).toMatch(/src\/cart\.ts:3:\d+ TS2554 Expected 2 arguments, but got 1\./);
    const logs = (await grompt(dir, "jobs", "logs", await lastJobId(dir), "--json")).stdout.trim().split("\n").map((line) => JSON.parse(line).event);
    expect(logs.filter((event) => event.type === "check-finished").map((event) => `${event.round}:${event.status}:${event.causedByPatch ?? "-"}`)).toEqual(["0:passed:-", "1:failed:true", "2:passed:false"]);
    expect(logs.filter((event) => event.type === "patch-applied").map((event) => event.files)).toEqual([["src/price.ts"], ["src/price.ts", "src/cart.ts"]]);
  });

  it("--ci: a patch that still fails its checks exits 1 with JSON, stored unvalidated, applied only when asked", async () => {
    const dir = project(pricing);
    fake.enqueue({ kind: "text", text: breakingDiff });
    const run = await grompt(dir, "evolve", instruction, "--ci", "--max-rounds", "0", "--out", "../ci-out");
    expect(run.exitCode).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "error", validated: false, validation: "failed", exitCode: 1, rounds: 1, error: { code: "checks_failed" }, checks: [{ name: "tsc", status: "failed", causedByPatch: true }] });
    expect(summary.error.message).toMatch(/^The patch still breaks tsc --noEmit after 1 round: src\/cart\.ts:3:\d+ TS2554/);
    expect(summary.patch).toBe(join(dir, "..", "ci-out", "changes.patch"));
    expect(readFileSync(summary.patch, "utf8")).toContain("+export function formatPrice(cents: number, currency: string): string {");
    const shown = JSON.parse((await grompt(dir, "jobs", "show", summary.jobId, "--json")).stdout);
    expect(shown.artifacts.find((artifact: { name: string }) => artifact.name === "changes.patch").kind).toBe("patch-unvalidated");

    const refused = await grompt(dir, "apply", summary.jobId);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`error [checks_failed] job ${summary.jobId}'s patch did not pass its checks, so it is not applied`);
    const forced = await grompt(dir, "apply", summary.jobId, "--allow-unvalidated");
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain("M src/price.ts");
    expect(forced.stdout).toContain("This patch failed the project's checks (applied with --allow-unvalidated).");
  });

  it("--ci --apply writes the validated patch into the working tree", async () => {
    const dir = project(pricing);
    fake.enqueue({ kind: "text", text: goodDiff });
    const run = await grompt(dir, "evolve", instruction, "--ci", "--apply");
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ state: "done", validated: true, exitCode: 0, applied: ["src/price.ts"], files: [{ path: "src/price.ts", action: "modified", added: 2, removed: 2 }] });
    expect(summary.patch).toMatch(/grompt-evolve-.*\/changes\.patch$/);
    cleanups.push(() => rmSync(dirname(summary.patch), { recursive: true, force: true }));
    expect(readFileSync(join(dir, "src/price.ts"), "utf8")).toContain('currency = "EUR"');
  });

  it("keeps its hands off checks that already failed before the patch", async () => {
    const dir = project({ ...pricing, "src/legacy.ts": 'export const answer: number = "42";\n' });
    fake.enqueue({ kind: "text", text: goodDiff });
    const run = await grompt(dir, "evolve", instruction, "--json");
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ validated: true, baseline: [{ name: "tsc", status: "failed" }], checks: [{ name: "tsc", status: "failed", causedByPatch: false }] });
  });

  it("works on a directory that is not a git repository (a plain copy)", async () => {
    const dir = project(pricing, { git: false });
    const before = treeState(dir);
    fake.enqueue({ kind: "text", text: goodDiff });
    const run = await grompt(dir, "evolve", instruction, "--out", "../out");
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("Worktree: plain copy, node_modules linked");
    expect(treeState(dir)).toEqual(before);
    execFileSync("git", ["apply", "--check", join(dir, "..", "out", "changes.patch")], { cwd: dir, env: gitEnv });
  });
});

describe("grompt evolve without checks", () => {
  const plain = { "src/price.ts": pricing["src/price.ts"], "src/cart.ts": pricing["src/cart.ts"] };

  it("reports a garbage answer after the repair rounds with exit 4 and a clear message", async () => {
    const dir = project(plain, { tsc: false });
    fake.enqueue(...["Sure! I updated formatPrice for you.", "Here is the updated function.", "Done."].map((text) => ({ kind: "text" as const, text })));
    const run = await grompt(dir, "evolve", instruction);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain("error [no_diff_found] No usable diff after 3 rounds: the answer holds no unified diff");
    expect(run.stderr).toContain("hint: Try a more capable model");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fake.requests).toHaveLength(3);
    expect(userText(1)).toContain("The answer was not a usable unified diff:");
  });

  it("stops at once when the model answers CANNOT", async () => {
    const dir = project(plain, { tsc: false });
    fake.enqueue({ kind: "text", text: "CANNOT: src/currency.ts, which holds the rates, is not in the repository" });
    const run = await grompt(dir, "evolve", "Use the exchange rates from src/currency.ts", "--json");
    expect(run.exitCode).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: "no_diff_found", message: "The model declined to change the code: src/currency.ts, which holds the rates, is not in the repository" });
    expect(fake.requests).toHaveLength(1);
  });

  it("--ci exits 3 with the vendor's reason on a provider error", async () => {
    const dir = project(plain, { tsc: false });
    fake.enqueue({ kind: "error", status: 401, message: "Incorrect API key provided" });
    const run = await grompt(dir, "evolve", instruction, "--ci");
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: "error", exitCode: 3, error: { code: "auth" } });
  });

  it("grompt apply refuses when a file the patch touches changed since the job read it", async () => {
    const dir = project(plain, { tsc: false });
    const withNewFile = goodDiff.replace("```\n", "--- /dev/null\n+++ b/src/currency.ts\n@@ -0,0 +1 @@\n+export const defaultCurrency = \"EUR\";\n```\n");
    fake.enqueue({ kind: "text", text: withNewFile });
    expect((await grompt(dir, "evolve", instruction, "--no-validate")).exitCode).toBe(0);
    const id = await lastJobId(dir);
    writeFileSync(join(dir, "src/currency.ts"), "// mine\n");
    const created = await grompt(dir, "apply", id, "--check");
    expect(created.exitCode).toBe(4);
    expect(created.stderr).toContain("src/currency.ts (now exists)");
    rmSync(join(dir, "src/currency.ts"));
    writeFileSync(join(dir, "src/price.ts"), `${pricing["src/price.ts"]}// edited meanwhile\n`);
    const refused = await grompt(dir, "apply", id);
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(`error [patch_not_applicable] A file the patch touches has changed since job ${id} read them: src/price.ts (edited); nothing was written`);
    expect(readFileSync(join(dir, "src/price.ts"), "utf8")).toContain("edited meanwhile");
    writeFileSync(join(dir, "src/price.ts"), pricing["src/price.ts"]);
    const checked = await grompt(dir, "apply", id, "--check");
    expect(checked.stdout).toBe(`Job ${id}'s patch applies cleanly to ${dir}:\n  A src/currency.ts\n  M src/price.ts\nThis patch was not validated: its job ran with --no-validate.\n`);
    expect(existsSync(join(dir, "src/currency.ts"))).toBe(false);
    const applied = await grompt(dir, "apply", id);
    expect(applied.exitCode).toBe(0);
    expect(readFileSync(join(dir, "src/price.ts"), "utf8")).toContain('currency = "EUR"');
    expect(readFileSync(join(dir, "src/currency.ts"), "utf8")).toBe('export const defaultCurrency = "EUR";\n');
  });

  it("--apply refuses to write when you edited a file the patch touches while the job ran", async () => {
    const dir = project(plain, { tsc: false });
    fake.enqueue({ kind: "text", text: goodDiff, delayMs: 1_000 });
    const edited = `${pricing["src/price.ts"]}// edited while grompt was working\n`;
    const run = await runGrompt(["evolve", instruction, "--apply", "--no-validate"], {
      env: env(),
      cwd: dir,
      onStart: () => {
        const poll = setInterval(() => {
          if (fake.requests.length === 0) return;
          clearInterval(poll);
          writeFileSync(join(dir, "src/price.ts"), edited);
        }, 20);
      },
    });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/error \[patch_not_applicable\] A file the patch touches has changed since job \w+ read them: src\/price\.ts \(edited\); nothing was written/);
    expect(readFileSync(join(dir, "src/price.ts"), "utf8")).toBe(edited);
  });

  it("runs from a subdirectory of a repository: the patch is the repository's, applied where it belongs", async () => {
    const made = makeProject({ "README.md": "monorepo\n", "packages/shop/src/price.ts": plain["src/price.ts"], "packages/shop/src/cart.ts": plain["src/cart.ts"] }, { linkNodeModules: false });
    cleanups.push(made.cleanup);
    const shop = join(made.dir, "packages", "shop");
    fake.enqueue({ kind: "text", text: goodDiff });
    const run = await grompt(shop, "evolve", instruction, "--ci", "--out", join(made.dir, "..", "out"));
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.files).toEqual([{ path: "packages/shop/src/price.ts", action: "modified", added: 2, removed: 2, baseSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(readFileSync(summary.patch, "utf8")).toContain("+++ b/packages/shop/src/price.ts");
    execFileSync("git", ["apply", "--check", summary.patch], { cwd: shop, env: gitEnv });
    const applied = await grompt(shop, "apply", summary.jobId);
    expect(applied.exitCode).toBe(0);
    expect(readFileSync(join(shop, "src/price.ts"), "utf8")).toContain('currency = "EUR"');
  });

  it("streams the model's diff to the terminal with FF_STREAM_PATCH, and not without it", async () => {
    const dir = project(plain, { tsc: false });
    fake.enqueue({ kind: "text", text: goodDiff }, { kind: "text", text: goodDiff });
    const streamed = await runGrompt(["evolve", instruction, "--no-cache"], { env: { ...env(), FF_STREAM_PATCH: "1" }, cwd: dir });
    expect(streamed.exitCode).toBe(0);
    expect(streamed.stderr).toContain("```diff\n--- a/src/price.ts");
    const quiet = await grompt(dir, "evolve", instruction, "--no-cache");
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).not.toContain("```diff");
    expect(quiet.stdout).toContain("+++ b/src/price.ts");
  });

  it("refuses an unknown check name before creating a job", async () => {
    const dir = project(pricing);
    const run = await grompt(dir, "evolve", instruction, "--checks", "tsc,lint");
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error [invalid_input] no check is named "lint" in this project');
    expect(run.stderr).toContain("Available: tsc");
    expect(fake.requests).toHaveLength(0);
  });

  it("cancels on Ctrl-C: exit 130, the job canceled, the worktree gone, the tree untouched", async () => {
    const dir = project(plain, { tsc: false });
    const before = treeState(dir);
    fake.enqueue({ kind: "hang" });
    const run = await runGrompt(["evolve", instruction], {
      env: env(),
      cwd: dir,
      onStart: (child) => {
        const poll = setInterval(() => {
          if (fake.requests.length === 0) return;
          clearInterval(poll);
          child.kill("SIGINT");
        }, 50);
      },
    });
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain("error [canceled]");
    expect(fake.requests[0]?.clientAborted).toBe(true);
    expect(existsSync(join(homeOf(), "worktrees")) ? readdirSync(join(homeOf(), "worktrees")) : []).toEqual([]);
    const shown = JSON.parse((await grompt(dir, "jobs", "show", await lastJobId(dir), "--json")).stdout);
    expect(shown.job).toMatchObject({ state: "error", error: { code: "canceled" } });
    expect(treeState(dir)).toEqual(before);
  });
});
