/**
 * Evolve's validation overhead: the example project's own checks (tsc --noEmit, vitest run, as
 * detected) run in place, next to the same checks in a temporary worktree — the worktree's
 * creation (git worktree at HEAD, node_modules linked) and removal included, since every job pays
 * for them. Alternating runs, medians; the target is a ratio ≤ 1.2×.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { CheckSpec } from "../../src/app/evolve/checks/check-spec";
import { detectChecks } from "../../src/app/evolve/checks/detect-checks";
import { runCheck } from "../../src/app/evolve/checks/run-check";
import { createWorktree } from "../../src/app/evolve/worktree/create-worktree";
import type { BenchSuite } from "../run";

const repo = join(import.meta.dirname, "..", "..");

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at === -1 ? undefined : Number(args[at + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The example project as `npm run demo` prepares it: a git repository with node_modules linked. */
function prepareProject(base: string): string {
  const example = join(repo, "examples", "weather-report");
  const project = join(base, "weather-report");
  cpSync(example, project, { recursive: true, filter: (source) => !relative(example, source).split(sep).includes("node_modules") });
  symlinkSync(join(repo, "node_modules"), join(project, "node_modules"), "dir");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@grompt.invalid", ...args], { cwd: project, stdio: "ignore" });
  git("init", "--quiet");
  git("add", "--all");
  git("commit", "--quiet", "--message", "bench");
  return project;
}

async function runAll(checks: readonly CheckSpec[], cwd: string): Promise<void> {
  for (const check of checks) {
    const run = await runCheck({ check, cwd });
    if (run.status !== "passed") throw new Error(`${check.display} ${run.status} in ${cwd}:\n${run.output}`);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const suite: BenchSuite = {
  title: "validation overhead: the example's checks in place vs in a temporary worktree (target ≤ 1.2×)",
  async run(args) {
    const runs = option(args, "--runs", 5);
    const base = mkdtempSync(join(tmpdir(), "grompt-bench-evolve-"));
    try {
      const project = prepareProject(base);
      const { checks } = detectChecks({ projectDir: project, boundary: project });
      console.log(`project: examples/weather-report (${checks.map((check) => check.display).join(", ")}), ${runs} runs each after one warm-up`);
      const inPlace: number[] = [];
      const inWorktree: number[] = [];
      const checksOnly: number[] = [];
      const setup: number[] = [];
      for (let index = 0; index <= runs; index += 1) {
        let started = performance.now();
        await runAll(checks, project);
        const place = performance.now() - started;

        started = performance.now();
        const worktree = await createWorktree({ cwd: project, root: join(base, "worktrees"), label: "bench" });
        const made = performance.now();
        await runAll(checks, worktree.projectDir);
        const checked = performance.now();
        await worktree.remove();
        const total = performance.now() - started;
        if (index === 0) continue;
        inPlace.push(place);
        inWorktree.push(total);
        checksOnly.push(checked - made);
        setup.push(total - (checked - made));
      }
      const rows: [string, number][] = [
        ["checks in place", median(inPlace)],
        ["checks in the worktree", median(checksOnly)],
        ["worktree create + remove", median(setup)],
        ["worktree, everything", median(inWorktree)],
      ];
      for (const [label, ms] of rows) console.log(`${label.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(6)} s`);
      const ratio = median(inWorktree) / median(inPlace);
      console.log(`ratio (worktree, everything / in place): ${ratio.toFixed(2)}× — target ≤ 1.2× ${ratio <= 1.2 ? "✔" : "✖"}`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  },
};

export default suite;
