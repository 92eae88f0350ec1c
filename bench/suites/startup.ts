/**
 * Start-up cost of the built CLI, per command, next to two baselines measured in the same run: a
 * bare `node -e ""` and an empty ES module started the way bin/grompt is (`node file.mjs`). Wall
 * time (median and best) and CPU time (user + sys of the child, from bash's `time`, which reads the
 * child's rusage) of whole processes over N runs. The scenarios are interleaved round by round so
 * that load from other processes on the machine falls on all of them alike.
 *
 * `npm run bench startup -- --runs=10` (default 10). Needs a built dist/ (`npm run build`).
 * `--bin=<path>` times another build's bin/grompt instead (a before/after comparison).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BenchSuite } from "../run";

const ownBin = join(import.meta.dirname, "..", "..", "bin", "grompt");

interface Scenario {
  name: string;
  args: string[];
  /** A substring the command's stdout must hold: the run did what it says, not fail early. */
  expect: string;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** `--name=value` (bench/run.ts passes on only the arguments that start with a dash). */
const option = (args: string[], name: string): string | undefined => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** A home with no jobs and no config, and a tiny project with a one-line diff for it. */
function makeSandbox(): { dir: string; project: string; diff: string; emptyModule: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), "grompt-startup-"));
  const project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(join(project, "hello.txt"), "hello\nworld\n");
  const diff = join(dir, "change.diff");
  writeFileSync(diff, "--- a/hello.txt\n+++ b/hello.txt\n@@ -1,2 +1,2 @@\n hello\n-world\n+there\n");
  const emptyModule = join(dir, "empty.mjs");
  writeFileSync(emptyModule, "export {};\n");
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|GROMPT_|FF_|XDG_CONFIG_HOME$)/.test(name)));
  Object.assign(env, { GROMPT_HOME: join(dir, "home"), HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), NO_COLOR: "1" });
  return { dir, project, diff, emptyModule, env };
}

/**
 * One timed run. bash's `time` reports the child's wall, user and sys time in milliseconds
 * (getrusage of the waited child); the shell itself is outside the measurement.
 */
function timeOnce(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Sample {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1 </dev/null; } 2>&1; echo "exit $?"';
  const out = execFileSync("bash", ["-c", script, "bash", ...argv], { env, cwd, encoding: "utf8" });
  const [times = "", status = ""] = out.trim().split("\n");
  if (status !== "exit 0") throw new Error(`${argv.join(" ")} failed under the timer (${status})`);
  const [real, user, sys] = times.split(" ").map(Number);
  if (real === undefined || user === undefined || sys === undefined) throw new Error(`unreadable timing: ${out}`);
  return { wallMs: real * 1000, cpuMs: (user + sys) * 1000 };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const suite: BenchSuite = {
  title: "CLI start-up per command (wall median and best, CPU median of N runs) next to `node -e \"\"` and an empty ES module in the same run",
  async run(args) {
    const runs = Number(option(args, "runs") ?? 10);
    if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs=<n> takes a positive whole number");
    const other = option(args, "bin");
    const bin = other === undefined ? ownBin : resolve(other);
    const sandbox = makeSandbox();
    try {
      const cwd = sandbox.project;
      const scenarios: Scenario[] = [
        { name: "--version", args: ["--version"], expect: "." },
        { name: "--help", args: ["--help"], expect: "Commands:" },
        { name: "evolve --help", args: ["evolve", "--help"], expect: "--max-rounds" },
        { name: "patch apply --help", args: ["patch", "apply", "--help"], expect: "Exit codes" },
        { name: "config show", args: ["config", "show"], expect: "home:" },
        { name: "jobs list (home without jobs)", args: ["jobs", "list"], expect: "" },
        { name: "patch apply --check (1-line diff)", args: ["patch", "apply", "--check", sandbox.diff], expect: "applies" },
        { name: "prompts list", args: ["prompts", "list"], expect: "refactor-small" },
      ];
      // Untimed first pass: every command works here (and `jobs list` creates the empty database,
      // so the timed runs measure a home that has one, as every later call in a script does).
      for (const scenario of scenarios) {
        const run = spawnSync(process.execPath, [bin, ...scenario.args], { env: sandbox.env, cwd, encoding: "utf8" });
        if (run.status !== 0 || !run.stdout.includes(scenario.expect)) {
          throw new Error(`grompt ${scenario.args.join(" ")} did not work (exit ${run.status}): ${run.stderr || run.stdout}`);
        }
      }
      const baseline: Scenario = { name: 'node -e "" (baseline)', args: ["-e", ""], expect: "" };
      const emptyModule: Scenario = { name: "node empty.mjs (bare ES module)", args: [sandbox.emptyModule], expect: "" };
      const baselines = new Set([baseline, emptyModule]);
      const all = [baseline, emptyModule, ...scenarios];
      const samples = new Map<Scenario, Sample[]>(all.map((scenario) => [scenario, []]));
      const load = loadavg()[0] ?? 0;
      for (let round = 0; round < runs; round += 1) {
        for (const scenario of all) {
          const argv = baselines.has(scenario) ? [process.execPath, ...scenario.args] : [process.execPath, bin, ...scenario.args];
          samples.get(scenario)?.push(timeOnce(argv, sandbox.env, cwd));
        }
      }
      const figures = all.map((scenario) => {
        const taken = samples.get(scenario) ?? [];
        const walls = taken.map((s) => s.wallMs);
        return { scenario, wall: median(walls), best: Math.min(...walls), cpu: median(taken.map((s) => s.cpuMs)) };
      });
      const base = figures[0] ?? { wall: 0, best: 0, cpu: 0 };
      console.log(`${bin}: median and best of ${runs} runs per row, rows interleaved; load average at start ${load.toFixed(2)}`);
      console.log("| command | wall median | wall best | CPU median (user+sys) | wall over baseline | CPU over baseline | CPU × baseline |");
      console.log("|---|---|---|---|---|---|---|");
      for (const { scenario, wall, best, cpu } of figures) {
        const over = scenario === baseline ? ["-", "-", "1.00×"] : [`+${(wall - base.wall).toFixed(0)} ms`, `+${(cpu - base.cpu).toFixed(0)} ms`, `${(cpu / base.cpu).toFixed(2)}×`];
        const name = baselines.has(scenario) ? scenario.name : `grompt ${scenario.name}`;
        console.log(`| ${name} | ${wall.toFixed(0)} ms | ${best.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${over.join(" | ")} |`);
      }
      console.log(`load average at end ${(loadavg()[0] ?? 0).toFixed(2)}`);
    } finally {
      rmSync(sandbox.dir, { recursive: true, force: true });
    }
  },
};

export default suite;
