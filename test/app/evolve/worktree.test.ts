import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWorktree } from "../../../src/app/evolve/worktree/create-worktree";
import { diffFromBase } from "../../../src/app/evolve/worktree/diff-from-base";
import { writeWorktreeRecord } from "../../../src/app/evolve/worktree/worktree-record";
import { git, gitEnv, makeProject, treeState, writeFiles } from "../../support/git-fixture";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
const project = (...args: Parameters<typeof makeProject>) => {
  const made = makeProject(...args);
  cleanups.push(made.cleanup);
  return made.dir;
};
const worktreesOf = (dir: string) => join(dir, "..", "home", "worktrees");

describe("createWorktree in a git repository", () => {
  it("checks out HEAD plus the uncommitted changes, links node_modules and re-emits a patch git apply takes", async () => {
    const dir = project({ ".gitignore": "node_modules/\n*.log\n", "app/src/a.ts": "export const a = 1;\n", "app/src/gone.ts": "gone\n", "app/run.sh": "executable:#!/bin/sh\n", "README.md": "top\n" });
    writeFiles(dir, { "app/src/a.ts": "export const a = 2;\n", "app/src/new.ts": "new\n", "app/debug.log": "ignored\n", "node_modules/pkg/index.js": "module.exports = 1;\n", ".grompt-home/grompt.db": "db" });
    unlinkSync(join(dir, "app/src/gone.ts"));
    // The user's files: grompt's home (here inside the repository) changes, of course.
    const userFiles = () => Object.fromEntries(Object.entries(treeState(dir)).filter(([path]) => !path.startsWith(".grompt-home")));
    const before = userFiles();

    const worktree = await createWorktree({ cwd: join(dir, "app"), root: join(dir, ".grompt-home", "worktrees"), label: "job", skip: [join(dir, ".grompt-home")] });
    expect(worktree).toMatchObject({ kind: "git", prefix: "app", links: ["node_modules"], overlaid: 3 });
    expect(existsSync(join(worktree.root, ".grompt-home"))).toBe(false);
    expect(readFileSync(join(worktree.projectDir, "src/a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(existsSync(join(worktree.projectDir, "src/gone.ts"))).toBe(false);
    expect(readFileSync(join(worktree.projectDir, "src/new.ts"), "utf8")).toBe("new\n");
    expect(existsSync(join(worktree.projectDir, "debug.log"))).toBe(false);
    expect(lstatSync(join(worktree.root, "node_modules")).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(worktree.projectDir, "run.sh")).mode & 0o111).not.toBe(0);

    writeFileSync(join(worktree.projectDir, "src/a.ts"), "export const a = 3;\n");
    writeFileSync(join(worktree.projectDir, "src/b.ts"), "export const b = 1;\n");
    rmSync(join(worktree.projectDir, "src/new.ts"));
    const patch = await diffFromBase(worktree, ["src/a.ts", "src/b.ts", "src/new.ts"]);
    expect(patch).toContain("--- a/app/src/a.ts");
    expect(patch).toContain("+++ b/app/src/b.ts");
    expect(patch).toContain("deleted file mode 100644");
    expect(userFiles()).toEqual(before);

    writeFileSync(join(dir, "..", "changes.patch"), patch);
    execFileSync("git", ["apply", "--check", join(dir, "..", "changes.patch")], { cwd: join(dir, "app"), env: gitEnv });

    await worktree.remove();
    expect(existsSync(worktree.root)).toBe(false);
    expect(readdirSync(join(dir, ".grompt-home", "worktrees"))).toEqual([]);
    expect(readFileSync(join(dir, "node_modules/pkg/index.js"), "utf8")).toBe("module.exports = 1;\n");
    expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
    expect(userFiles()).toEqual(before);
  });

  it("copies a repository without a commit, and removes stale worktrees of dead runs first", async () => {
    const dir = project({ "a.ts": "a\n" }, { git: false });
    git(dir, "init", "-q");
    const root = worktreesOf(dir);
    mkdirSync(join(root, "old-1234"), { recursive: true });
    await writeWorktreeRecord(join(root, "old-1234"), { pid: 2 ** 22 + 17, host: (await import("node:os")).hostname(), kind: "copy", links: [], createdAt: new Date().toISOString() });
    const worktree = await createWorktree({ cwd: dir, root, label: "job" });
    expect(worktree.kind).toBe("copy");
    expect(existsSync(join(root, "old-1234"))).toBe(false);
    expect(existsSync(join(worktree.root, ".git"))).toBe(false);
    await worktree.remove();
  });
});

describe("createWorktree outside git", () => {
  it("makes a plain copy with install folders linked, never inside grompt's home, and diffs it", async () => {
    const dir = project({ "src/a.ts": "export const a = 1;\n", ".gitignore": "dist/\n", "dist/out.js": "built\n" }, { git: false, linkNodeModules: true });
    const home = join(dir, ".grompt-home");
    writeFiles(home, { "grompt.db": "db" });
    const worktree = await createWorktree({ cwd: dir, root: join(home, "worktrees"), label: "job", skip: [home] });
    expect(worktree).toMatchObject({ kind: "copy", prefix: "", links: ["node_modules"] });
    expect(existsSync(join(worktree.root, ".grompt-home"))).toBe(false);
    expect(readFileSync(join(worktree.root, "dist/out.js"), "utf8")).toBe("built\n");
    expect(existsSync(join(worktree.root, "node_modules", "typescript", "package.json"))).toBe(true);

    writeFileSync(join(worktree.root, "src/a.ts"), "export const a = 2;\n");
    const patch = await diffFromBase(worktree, ["src/a.ts"]);
    expect(patch).toContain("-export const a = 1;\n+export const a = 2;");
    expect(patch).not.toContain("node_modules");
    await worktree.remove();
    expect(existsSync(worktree.root)).toBe(false);
    expect(existsSync(`${worktree.root}.git`)).toBe(false);
    expect(existsSync(join(dir, "node_modules", "typescript", "package.json"))).toBe(true);
  });
});
