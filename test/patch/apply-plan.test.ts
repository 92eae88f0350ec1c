import * as fs from "node:fs/promises";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan, planPatch, type ApplyFs, type PatchPlan } from "../../src/app/patch";
import { GromptError } from "../../src/core/domain/errors";
import { makeTempRepo, type TempRepo } from "./support/temp-repo";

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

const one = "first\nsecond\nthird\n";
const two = "alpha\nbeta\ngamma\n";
const answer = [
  "--- a/a.txt",
  "+++ b/a.txt",
  "@@ -1,3 +1,3 @@",
  " first",
  "-second",
  "+SECOND",
  " third",
  "--- a/dir/b.txt",
  "+++ b/dir/b.txt",
  "@@ -1,3 +1,3 @@",
  " alpha",
  "-beta",
  "+BETA",
  " gamma",
  "--- /dev/null",
  "+++ b/new/deep/c.txt",
  "@@ -0,0 +1 @@",
  "+created",
  "diff --git a/gone/d.txt b/gone/d.txt",
  "deleted file mode 100644",
  "diff --git a/run.sh b/run.sh",
  "old mode 100644",
  "new mode 100755",
  "",
].join("\n");

async function planned(): Promise<{ repo: TempRepo; plan: PatchPlan }> {
  const repo = makeTempRepo({ "a.txt": one, "dir/b.txt": two, "gone/d.txt": "bye\n", "run.sh": "#!/bin/sh\necho hi\n" });
  repos.push(repo);
  const outcome = await planPatch({ root: repo.root, text: answer });
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return { repo, plan: outcome.plan };
}

/** Every name under a directory, temp and backup files included. */
const allNames = (root: string): string[] => readdirSync(root, { recursive: true, encoding: "utf8" }).filter((name) => !name.startsWith(".git")).sort();

describe("applyPlan", () => {
  it("writes every change and returns what it touched", async () => {
    const { repo, plan } = await planned();
    const touched = await applyPlan(plan);
    expect(touched).toEqual([
      { path: "a.txt", action: "modified" },
      { path: "dir/b.txt", action: "modified" },
      { path: "new/deep/c.txt", action: "created" },
      { path: "gone/d.txt", action: "deleted" },
      { path: "run.sh", action: "mode-changed" },
    ]);
    expect(repo.read("a.txt")).toBe("first\nSECOND\nthird\n");
    expect(repo.read("new/deep/c.txt")).toBe("created\n");
    expect(existsSync(join(repo.root, "gone"))).toBe(false);
    expect(statSync(join(repo.root, "run.sh")).mode & 0o777).toBe(0o755);
    expect(allNames(repo.root)).toEqual(["a.txt", "dir", "dir/b.txt", "new", "new/deep", "new/deep/c.txt", "run.sh"]);
  });

  it("puts back everything already renamed when a later rename fails", async () => {
    const { repo, plan } = await planned();
    const before = allNames(repo.root);
    let renames = 0;
    // The third rename (creating new/deep/c.txt) fails, after a.txt and dir/b.txt were replaced.
    const failing: ApplyFs = {
      ...fs,
      rename: async (from, to) => {
        renames += 1;
        if (renames === 3) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        return fs.rename(from, to);
      },
    };
    const error = await applyPlan(plan, { fs: failing }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GromptError);
    expect((error as GromptError).code).toBe("io_error");
    expect((error as GromptError).message).toContain("nothing was changed: ENOSPC");
    expect(repo.read("a.txt")).toBe(one);
    expect(repo.read("dir/b.txt")).toBe(two);
    expect(repo.status()).toBe("");
    expect(allNames(repo.root)).toEqual(before);
  });

  it("cleans its temp files when staging fails, before anything is renamed", async () => {
    const { repo, plan } = await planned();
    const before = allNames(repo.root);
    let writes = 0;
    const failing: ApplyFs = {
      ...fs,
      writeFile: async (...args: Parameters<typeof fs.writeFile>) => {
        writes += 1;
        if (writes === 2) throw new Error("EACCES: permission denied");
        return fs.writeFile(...args);
      },
    };
    await expect(applyPlan(plan, { fs: failing })).rejects.toThrow(/nothing was changed: EACCES/);
    expect(allNames(repo.root)).toEqual(before);
    expect(repo.status()).toBe("");
  });

  it("refuses a plan whose files changed since it was made", async () => {
    const { repo, plan } = await planned();
    repo.write("dir/b.txt", "alpha\nbeta\ngamma\ndelta\n");
    const error = await applyPlan(plan).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "patch_not_applicable", message: '"dir/b.txt" changed after the patch was planned; nothing was written.' });
    expect(repo.read("a.txt")).toBe(one);
    expect(repo.status()).toBe(" M dir/b.txt\n");
  });
});
