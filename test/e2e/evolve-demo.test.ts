import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("npm run demo", () => {
  it("evolves the example project from the committed cassette: tsc and vitest in the worktree, a patch git applies", () => {
    // No key and nothing of the outer vitest run may reach the demo's own checks.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI_|GROMPT_|VITEST|__VITEST)/.test(name)));
    const run = spawnSync(process.execPath, [join(root, "scripts", "demo.mjs")], { cwd: root, env: { ...env, NO_COLOR: "1" }, encoding: "utf8" });
    const work = /The validated patch: (.+)\/out\/changes\.patch/.exec(run.stderr)?.[1];
    try {
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/Baseline: tsc passed[\s\S]*Baseline: vitest passed/);
      expect(run.stderr).toContain("Round 1: patch applied to 4 files, 6 hunks (4 exact, 2 new-file)");
      expect(run.stderr).toMatch(/Round 1: tsc passed[\s\S]*Round 1: vitest passed/);
      expect(run.stderr).toMatch(/Validated patch: 4 files, \+92 -28\nchecks: tsc ✔ {2}vitest ✔ · 1 round · 5,484 tokens · \$0 · /);
      expect(run.stdout).toContain("+export async function retryWithBackoff<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {");
      expect(work).toBeDefined();
      const patch = readFileSync(join(work ?? "", "out", "changes.patch"), "utf8");
      expect(patch).toMatch(/^diff --git a\/src\/retry\.ts b\/src\/retry\.ts\nnew file mode 100644$/m);
      const apply = spawnSync("git", ["apply", "--check", join(work ?? "", "out", "changes.patch")], { cwd: join(work ?? "", "weather-report"), encoding: "utf8" });
      expect(apply.status, apply.stderr).toBe(0);
      expect(existsSync(join(work ?? "", "weather-report", "src", "retry.ts"))).toBe(false);
    } finally {
      if (work !== undefined) rmSync(work, { recursive: true, force: true });
    }
  });
});
