import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CheckRun, CheckSpec, Diagnostic } from "../../../src/app/evolve/checks/check-spec";
import { detectChecks } from "../../../src/app/evolve/checks/detect-checks";
import { judgeCheck } from "../../../src/app/evolve/checks/judge-check";
import { newDiagnostics, readDiagnostics, renderDiagnostics } from "../../../src/app/evolve/checks/read-diagnostics";
import { runCheck } from "../../../src/app/evolve/checks/run-check";
import { selectChecks } from "../../../src/app/evolve/checks/select-checks";
import { trimOutput } from "../../../src/app/evolve/checks/trim-output";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "grompt-checks-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const write = (root: string, files: Record<string, string>) => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
};

describe("detectChecks", () => {
  it("finds tsc, eslint and vitest with the project's own binaries, cheapest first", () => {
    const root = write(tempDir(), {
      "package.json": JSON.stringify({ devDependencies: { vitest: "4", typescript: "5" } }),
      "tsconfig.json": "{}",
      "eslint.config.js": "export default [];",
      "node_modules/.bin/tsc": "",
      "node_modules/.bin/eslint": "",
      "node_modules/.bin/vitest": "",
    });
    const { checks, unavailable } = detectChecks({ projectDir: root, boundary: root });
    expect(checks.map((check) => [check.name, check.display, check.scope])).toEqual([
      ["tsc", "tsc --noEmit", "project"],
      ["eslint", "eslint <changed files>", "changed-files"],
      ["vitest", "vitest run", "project"],
    ]);
    expect(checks[0]?.run).toEqual({ file: "node_modules/.bin/tsc", args: ["--noEmit", "--pretty", "false"] });
    expect(unavailable).toEqual([]);
  });

  it("uses binaries of a parent up to the repository root, never above it, and reports missing tools", () => {
    const outer = write(tempDir(), { "node_modules/.bin/tsc": "" });
    const repo = write(join(outer, "repo"), { "node_modules/.bin/tsc": "", "packages/app/tsconfig.json": "{}", "packages/app/package.json": JSON.stringify({ devDependencies: { vitest: "4" } }) });
    const inRepo = detectChecks({ projectDir: join(repo, "packages", "app"), boundary: repo });
    expect(inRepo.checks.map((check) => check.run)).toEqual([{ file: "../../node_modules/.bin/tsc", args: ["--noEmit", "--pretty", "false"] }]);
    expect(inRepo.unavailable).toEqual([{ name: "vitest", reason: expect.stringContaining("no node_modules/.bin/vitest") }]);
    const bounded = detectChecks({ projectDir: repo, boundary: repo });
    expect(bounded.checks).toEqual([]);
    rmSync(join(repo, "node_modules"), { recursive: true });
    write(repo, { "tsconfig.json": "{}" });
    expect(detectChecks({ projectDir: repo, boundary: repo }).unavailable.map((check) => check.name)).toEqual(["tsc"]);
  });

  it("takes configured checks instead of detection", () => {
    const root = write(tempDir(), { "tsconfig.json": "{}", "node_modules/.bin/tsc": "" });
    const { checks } = detectChecks({ projectDir: root, boundary: root, configured: [{ name: "unit", run: "npm test", timeout: 90 }] });
    expect(checks).toEqual([{ name: "unit", kind: "command", display: "npm test", run: { shell: "npm test" }, timeoutMs: 90_000, scope: "project", source: "config" }]);
    expect(detectChecks({ projectDir: root, boundary: root, configured: [] }).checks).toEqual([]);
  });
});

describe("selectChecks", () => {
  const tsc: CheckSpec = { name: "tsc", kind: "tsc", display: "tsc --noEmit", run: { file: "t", args: [] }, timeoutMs: 1, scope: "project", source: "detected" };
  const vitest: CheckSpec = { ...tsc, name: "vitest", kind: "vitest", display: "vitest run" };
  it("keeps the named checks in the project's order and refuses unknown or unavailable ones", () => {
    expect(selectChecks([tsc, vitest], [], ["vitest", "tsc"]).map((check) => check.name)).toEqual(["tsc", "vitest"]);
    expect(selectChecks([tsc, vitest], [], undefined)).toHaveLength(2);
    expect(() => selectChecks([tsc], [], ["lint"])).toThrow(/no check is named "lint"/);
    expect(() => selectChecks([tsc], [{ name: "eslint", reason: "eslint is not installed" }], ["eslint"])).toThrow("check eslint cannot run: eslint is not installed");
  });
});

describe("diagnostics", () => {
  it("reads tsc, eslint and vitest output", () => {
    const tsc = readDiagnostics("tsc", { all: "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n  more detail\nerror TS5058: The specified path does not exist.\n", stdout: "" }, "/p");
    expect(tsc).toEqual([
      { file: "src/a.ts", code: "TS2322", message: "Type 'string' is not assignable to type 'number'.", line: 3, column: 7 },
      { file: "", code: "TS5058", message: "The specified path does not exist." },
    ]);
    const eslintJson = JSON.stringify([{ filePath: "/p/src/a.ts", messages: [{ ruleId: "no-unused-vars", severity: 2, message: "'x' is unused.", line: 1, column: 7 }, { ruleId: "semi", severity: 1, message: "warn", line: 2, column: 1 }] }]);
    expect(readDiagnostics("eslint", { all: eslintJson, stdout: eslintJson }, "/p")).toEqual([{ file: "src/a.ts", code: "no-unused-vars", message: "'x' is unused.", line: 1, column: 7 }]);
    expect(readDiagnostics("eslint", { all: "Oops! Something went wrong", stdout: "Oops!" }, "/p")).toBeUndefined();
    const vitest = readDiagnostics("vitest", { all: " \u001b[31mFAIL\u001b[39m  test/a.test.ts > math > adds\n FAIL  test/b.test.ts [ test/b.test.ts ]\n", stdout: "" }, "/p");
    expect(vitest?.map((d) => [d.file, d.message])).toEqual([["test/a.test.ts", "test/a.test.ts > math > adds"], ["test/b.test.ts", "test/b.test.ts [ test/b.test.ts ]"]]);
    expect(readDiagnostics("tsc", { all: "Segmentation fault", stdout: "" }, "/p")).toBeUndefined();
  });

  it("compares as a multiset, ignoring positions, and renders file:line:col", () => {
    const d = (file: string, message: string, line: number): Diagnostic => ({ file, code: "TS1", message, line, column: 1 });
    const baseline = [d("a.ts", "old", 3), d("a.ts", "twice", 4)];
    const current = [d("a.ts", "old", 9), d("a.ts", "twice", 10), d("a.ts", "twice", 11), d("b.ts", "new", 1)];
    const added = newDiagnostics(baseline, current);
    expect(added.map((x) => `${x.file}:${x.message}`)).toEqual(["a.ts:twice", "b.ts:new"]);
    expect(renderDiagnostics(added)).toBe("a.ts:11:1 TS1 twice\nb.ts:1:1 TS1 new");
  });
});

describe("trimOutput", () => {
  it("keeps short output whole and long output as its problems plus its tail", () => {
    expect(trimOutput("\u001b[32mok\u001b[39m\r\nfine\n\n")).toBe("ok\nfine");
    const noise = Array.from({ length: 500 }, (_, i) => `progress line ${i}`);
    noise[100] = "src/a.ts(1,2): error TS1: broken";
    noise[101] = "    continued detail";
    const trimmed = trimOutput(noise.join("\n"));
    const lines = trimmed.split("\n");
    expect(lines).toContain("src/a.ts(1,2): error TS1: broken");
    expect(lines).toContain("    continued detail");
    expect(lines.at(-1)).toBe("progress line 499");
    expect(lines[0]).toBe("… (100 lines left out)");
    expect(lines.length).toBeLessThan(30);
  });
});

describe("judgeCheck", () => {
  const run = (status: CheckRun["status"], diagnostics?: Diagnostic[]): CheckRun => ({ name: "tsc", kind: "tsc", display: "tsc", status, exitCode: status === "passed" ? 0 : 2, durationMs: 1, output: "", diagnostics });
  const diag = (message: string): Diagnostic => ({ file: "a.ts", code: "TS1", message });
  it("blames the patch only for what it changed", () => {
    expect(judgeCheck(run("passed"), run("failed")).causedByPatch).toBe(false);
    expect(judgeCheck(run("failed", [diag("x")]), run("passed"))).toMatchObject({ causedByPatch: true, newDiagnostics: [diag("x")] });
    expect(judgeCheck(run("failed", [diag("x")]), undefined).causedByPatch).toBe(true);
    expect(judgeCheck(run("failed", [diag("old")]), run("failed", [diag("old")]))).toMatchObject({ causedByPatch: false, comparedBy: "diagnostics", newDiagnostics: [] });
    expect(judgeCheck(run("failed", [diag("old"), diag("new")]), run("failed", [diag("old")]))).toMatchObject({ causedByPatch: true, newDiagnostics: [diag("new")] });
    expect(judgeCheck(run("failed"), run("failed")).causedByPatch).toBe(false);
    expect(judgeCheck(run("failed"), run("failed", [diag("old")])).causedByPatch).toBe(true);
    expect(judgeCheck(run("timed-out"), run("failed")).causedByPatch).toBe(true);
    expect(judgeCheck(run("timed-out"), run("timed-out")).causedByPatch).toBe(false);
  });
});

describe("runCheck", () => {
  const shell = (name: string, command: string, timeoutMs = 10_000): CheckSpec => ({ name, kind: "command", display: command, run: { shell: command }, timeoutMs, scope: "project", source: "config" });
  /** Running, not a zombie waiting for a parent that no longer exists to reap it. */
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return !(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").startsWith("Z");
    } catch {
      return false;
    }
  };

  it("reports the status, the exit code and the output", async () => {
    const dir = tempDir();
    const passed = await runCheck({ check: shell("ok", "echo fine; echo warn >&2"), cwd: dir });
    expect(passed).toMatchObject({ name: "ok", status: "passed", exitCode: 0, output: "fine\nwarn" });
    const failed = await runCheck({ check: shell("tsc-like", "echo 'src/a.ts(1,1): error TS2304: Cannot find name x.'; exit 2"), cwd: dir });
    expect(failed).toMatchObject({ status: "failed", exitCode: 2, diagnostics: [{ file: "src/a.ts", code: "TS2304", line: 1 }] });
    expect(failed.output).toContain("error TS2304");
  });

  it("stops the whole process group when the check times out", async () => {
    const dir = tempDir();
    const result = await runCheck({ check: shell("slow", `sleep 30 & echo $! > ${join(dir, "child.pid")}; wait`, 700), cwd: dir });
    expect(result.status).toBe("timed-out");
    expect(result.output).toContain("timed out after 1 s");
    const child = Number(readFileSync(join(dir, "child.pid"), "utf8"));
    await expect.poll(() => alive(child), { timeout: 3_000 }).toBe(false);
  });

  it("rejects with the abort reason and stops the group when canceled", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const running = runCheck({ check: shell("slow", `sleep 30 & echo $! > ${join(dir, "child.pid")}; wait`), cwd: dir, signal: controller.signal });
    await expect.poll(() => readFileSync(join(dir, "child.pid"), { encoding: "utf8", flag: "a+" }).trim() !== "").toBe(true);
    controller.abort(new Error("canceled by the test"));
    await expect(running).rejects.toThrow("canceled by the test");
    const child = Number(readFileSync(join(dir, "child.pid"), "utf8"));
    await expect.poll(() => alive(child), { timeout: 3_000 }).toBe(false);
  });
});
