import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupTrees, git, initRepo, tempDir, writeTree } from "../support/snapshot-fixtures";

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");
afterAll(() => cleanupTrees());

function grompt(args: string[], cwd: string, home = tempDir()) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GROMPT_HOME: home, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(): string {
  const root = initRepo(tempDir());
  writeTree(root, {
    "src/retry.ts": 'import { wait } from "./wait";\nexport async function withRetry(fn: () => Promise<void>) {\n  await wait(10);\n  return fn();\n}\n',
    "src/wait.ts": "export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));\n",
    "src/app.ts": `${Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`).join("\n")}\n`,
    "logo.png": "binary",
    "package-lock.json": "{}\n",
    ".env": "A=1\n",
  });
  git(root, ["add", "."]);
  git(root, ["commit", "-qm", "init"]);
  return root;
}

describe("grompt snapshot (built CLI)", () => {
  it("writes the three outputs and prints files, bytes, tokens, the largest files and exclusions", () => {
    const root = project();
    const out = join(tempDir(), "out");
    const run = grompt(["snapshot", "--out", out], root);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["manifest.json", "snapshot.latx", "snapshot.zip"]);
    expect(run.stdout).toMatch(/^snapshot [0-9a-f]{64}$/m);
    expect(run.stdout).toMatch(/files\s+3 from git/);
    expect(run.stdout).toMatch(/tokens\s+[\d,]+ \(openai, o200k_base\)/);
    expect(run.stdout).toMatch(/largest\s+src\/app\.ts/);
    expect(run.stdout).toMatch(/excluded\s+.*binary 1.*/);
    expect(run.stdout).toContain("default-exclude 1");
    expect(run.stdout).toContain("secret-file 1");
  });

  it("says where the time went with --timings", () => {
    const root = project();
    const json = grompt(["snapshot", "--out", join(tempDir(), "out"), "--json", "--timings"], root);
    expect(json.code).toBe(0);
    const timings = (JSON.parse(json.stdout) as { timings: { stage: string; thread: string; ms: number }[] }).timings;
    const stages = timings.map((t) => t.stage);
    expect(stages[0]).toMatch(/^startup/);
    for (const stage of ["select (list, ignore rules, lstat)", "read", "tokenize", "sha256", "write latx + zip"]) expect(stages).toContain(stage);
    expect(timings.every((t) => t.ms >= 0 && (t.thread === "main" || t.thread === "workers"))).toBe(true);
    const text = grompt(["snapshot", "--out", join(tempDir(), "out"), "--timings"], root);
    expect(text.stdout).toMatch(/^timings\s+main\s+startup/m);
    expect(text.stdout).toMatch(/^\s+main\s+tokenize\s+[\d,]+ ms$/m);
  });

  it("is byte-identical from run to run and round-trips through extract", () => {
    const root = project();
    const [a, b] = [join(tempDir(), "a"), join(tempDir(), "b")];
    const first = JSON.parse(grompt(["snapshot", "--out", a, "--json"], root).stdout) as { id: string; files: number; tokens: number };
    const second = JSON.parse(grompt(["snapshot", "--out", b, "--json", "--provider", "anthropic"], root).stdout) as { id: string; tokens: number };
    expect(second.id).toBe(first.id);
    expect(second.tokens).toBe(Math.ceil(first.tokens * 1.25));
    for (const name of ["manifest.json", "snapshot.latx", "snapshot.zip"]) {
      expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name)))).toBe(true);
    }
    const dest = join(tempDir(), "restored");
    const extract = grompt(["snapshot", "extract", join(a, "snapshot.latx"), dest], root);
    expect(extract.code).toBe(0);
    expect(extract.stdout).toContain("restored 3 files");
    expect(readFileSync(join(dest, "src/retry.ts"), "utf8")).toBe(readFileSync(join(root, "src/retry.ts"), "utf8"));
    const collide = grompt(["snapshot", "extract", join(a, "snapshot.latx"), dest], root);
    expect(collide.code).toBe(2);
    expect(collide.stderr).toMatch(/^error \[invalid_input\] .*already exist.*nothing was written\nhint: Pass --overwrite/);
    expect(grompt(["snapshot", "extract", join(a, "snapshot.latx"), dest, "--overwrite"], root).code).toBe(0);
  });

  it("plans the prompt context under --max-tokens", () => {
    const root = project();
    const run = grompt(["snapshot", "--out", join(tempDir(), "o"), "--max-tokens", "400", "--instruction", "make withRetry in retry.ts configurable", "--json"], root);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { context: { tokens: number; budget: number; files: { path: string; why: string }[]; leftOut: { path: string; reason: string }[] } };
    expect(summary.context.tokens).toBeLessThanOrEqual(400);
    expect(summary.context.files.map((f) => [f.path, f.why])).toEqual([["src/retry.ts", "named"], ["src/wait.ts", "relevant"]]);
    expect(summary.context.leftOut).toEqual([{ path: "src/app.ts", tokens: expect.any(Number), reason: "not-relevant", listed: true }]);
  });

  it("stops on a secret in block mode with one line, exit 1 and nothing written", () => {
    const root = project();
    writeFileSync(join(root, "src/config.ts"), `export const token = "ghp_${"a1B2c3D4e5".repeat(3)}abcdef";\n`);
    const out = join(tempDir(), "out");
    const run = grompt(["snapshot", "--out", out], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error \[secret_detected\] Secret found at src\/config\.ts:1 \(rule github\); nothing was written\nhint: /);
    expect(run.stderr).not.toContain("ghp_");
    expect(existsSync(out)).toBe(false);
    const redacted = grompt(["snapshot", "--out", out, "--secrets", "redact"], root);
    expect(redacted.code).toBe(0);
    expect(redacted.stdout).toMatch(/redacted\s+1 secrets replaced by \[REDACTED:<rule>\]\n\s+src\/config\.ts:1 \(github\)\n/);
    expect(readFileSync(join(out, "snapshot.latx"), "utf8")).toContain('"[REDACTED:github]"');
  });

  it("explains bad input in one line with the right exit code", () => {
    const root = project();
    const file = join(root, "src/app.ts");
    const notDir = grompt(["--cwd", file, "snapshot"], root);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/^error \[snapshot_invalid\] .*app\.ts is not a directory\n/);
    const unwritable = grompt(["snapshot", "--out", join(file, "out")], root);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^error \[io_error\] Cannot write the snapshot to .*: a file is in the way\n/);
    const badBudget = grompt(["snapshot", "--max-tokens", "lots"], root);
    expect(badBudget.code).toBe(2);
    expect(badBudget.stderr).toContain("expected a positive whole number");
    const badMode = grompt(["snapshot", "--secrets", "maybe"], root);
    expect(badMode.code).toBe(2);
    for (const run of [notDir, unwritable]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
