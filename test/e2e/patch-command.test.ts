import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempRepo, type TempRepo } from "../patch/support/temp-repo";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; `input` goes to stdin. */
async function grompt(args: string[], options: { cwd: string; input?: string | Buffer }): Promise<Result> {
  const child = run(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, GROMPT_HOME: join(options.cwd, ".grompt-test-home"), NO_COLOR: "1" } });
  if (options.input !== undefined) child.child.stdin?.end(options.input);
  else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const source = "export function add(a, b) {\r\n  return a + b;\r\n}\r\n\r\nexport function sub(a, b) {\r\n  return a - b;\r\n}\r\n";
const goodDiff = "Sure, here you go:\n\n```diff\n--- a/src/math.js\n+++ b/src/math.js\n@@ ... @@\n export function sub(a, b) {\n-  return a - b;\n+  return a - b || 0;\n }\n```\n";
const badDiff = "```diff\n--- a/src/math.js\n+++ b/src/math.js\n@@ -5,3 +5,3 @@\n export function mul(a, b) {\n-  return a * b;\n+  return b * a;\n }\n```\n";

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repoWithMath(): TempRepo {
  const repo = makeTempRepo({ "src/math.js": source, ".gitignore": ".grompt-test-home/\n" });
  repos.push(repo);
  return repo;
}

/** A file beside the tree, in a git-ignored folder removed with the repository. */
function scratch(repo: TempRepo, name: string, content: string | Buffer): string {
  mkdirSync(join(repo.root, ".grompt-test-home"), { recursive: true });
  const path = join(repo.root, ".grompt-test-home", name);
  writeFileSync(path, content);
  return path;
}

describe("grompt patch apply (built CLI, real git repos)", () => {
  it("applies a model answer from a file, keeping CRLF, and reports each hunk", async () => {
    const repo = repoWithMath();
    const answerFile = scratch(repo, "answer.md", goodDiff);
    const result = await grompt(["patch", "apply", answerFile], { cwd: repo.root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("M src/math.js  +1 -1  hunk 1 exact @5");
    expect(result.stdout).toContain("applied: modified src/math.js");
    expect(repo.read("src/math.js")).toBe(source.replace("return a - b;", "return a - b || 0;"));
    expect(repo.status()).toBe(" M src/math.js\n");
  });

  it("checks without writing (--check), reading stdin", async () => {
    const repo = repoWithMath();
    const result = await grompt(["patch", "apply", "-", "--check"], { cwd: repo.root, input: goodDiff });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the patch applies (--check: nothing written)");
    expect(repo.status()).toBe("");
  });

  it("exits 4 with the reason and the file's nearest lines, changing nothing", async () => {
    const repo = repoWithMath();
    const result = await grompt(["patch", "apply", "-"], { cwd: repo.root, input: badDiff });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("src/math.js, hunk 1 (answer line 4: @@ -5,3 +5,3 @@)");
    expect(result.stderr).toContain("[context-not-found]");
    expect(result.stderr).toMatch(/ {7}5 \| export function sub\(a, b\) \{/);
    expect(result.stderr).toContain("error [patch_not_applicable]");
    expect(repo.status()).toBe("");
  });

  it("prints a machine report with --json, for success and for failure", async () => {
    const repo = repoWithMath();
    const failed = await grompt(["patch", "apply", "-", "--json"], { cwd: repo.root, input: badDiff });
    expect(failed.code).toBe(4);
    const failure = JSON.parse(failed.stdout) as { ok: boolean; code: string; problems: { reason: string; path: string; hunk: number; nearest: { lines: { line: number; text: string }[] } }[] };
    expect(failure).toMatchObject({ ok: false, code: "patch_not_applicable", problems: [{ reason: "context-not-found", path: "src/math.js", hunk: 1 }] });
    expect(failure.problems[0]?.nearest.lines).toContainEqual({ line: 6, text: "  return a - b;" });

    const applied = await grompt(["patch", "apply", "-", "--json", "--cwd", repo.root], { cwd: "/", input: goodDiff });
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      ok: true,
      applied: true,
      files: [{ path: "src/math.js", operation: "modify", hunks: [{ hunk: 1, strategy: "exact", line: 5, offset: null, fuzz: 0 }] }],
      stats: { files: 1, hunks: 1, added: 1, removed: 1 },
      touched: [{ path: "src/math.js", action: "modified" }],
    });
  });

  it.each([
    ["empty input", "", 4, "[input-empty]"],
    ["prose without a diff", "Rename the function to subtract.", 4, "[no-diff-found]"],
    ["a path outside the repository", "--- a/../x.js\n+++ b/../x.js\n@@ -1 +1 @@\n-a\n+b\n", 4, "[path-parent]"],
    ["a binary patch", "diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n", 4, "[binary-patch]"],
    ["a diff for a directory", "--- a/src\n+++ b/src\n@@ -1 +1 @@\n-a\n+b\n", 4, "[path-is-directory]"],
  ])("refuses %s with exit %i", async (_name, input, code, reason) => {
    const repo = repoWithMath();
    const result = await grompt(["patch", "apply", "-"], { cwd: repo.root, input });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(reason);
    expect(repo.status()).toBe("");
  });

  it("refuses bytes that are not UTF-8 and a 50 MB answer", async () => {
    const repo = repoWithMath();
    const latin1 = await grompt(["patch", "apply", "-"], { cwd: repo.root, input: Buffer.from([0x2d, 0x2d, 0x2d, 0x20, 0xe9, 0x0a]) });
    expect(latin1.code).toBe(4);
    expect(latin1.stderr).toContain("not valid UTF-8 (first bad byte at offset 4)");
    const huge = scratch(repo, "huge.diff", Buffer.alloc(50 * 1024 * 1024, "+"));
    const tooLarge = await grompt(["patch", "apply", huge], { cwd: repo.root });
    expect(tooLarge.code).toBe(4);
    expect(tooLarge.stderr).toContain("larger than 10.0 MiB");
    expect(repo.status()).toBe("");
  });

  it("exits 2 on usage errors", async () => {
    const repo = repoWithMath();
    expect((await grompt(["patch", "apply"], { cwd: repo.root })).code).toBe(2);
    const missing = await grompt(["patch", "apply", "nope.diff"], { cwd: repo.root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error [io_error] Cannot read nope.diff: no such file.");
    const badCwd = await grompt(["patch", "apply", "-", "--cwd", join(repo.root, "missing")], { cwd: repo.root, input: goodDiff });
    expect(badCwd.code).toBe(2);
    expect(badCwd.stderr).toContain("is not a directory");
  });
});
