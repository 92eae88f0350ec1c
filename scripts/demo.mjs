#!/usr/bin/env node
// `npm run demo`: copies examples/weather-report to a temporary directory, makes it a git
// repository and runs the real `grompt evolve` pipeline on it — snapshot, prompt, diff, apply and
// tsc + vitest in a temporary worktree, artifacts — with a recorded model answer: no key, no network.
// `--record <cassette>` (used by `npm run demo:record`) asks the configured OpenAI endpoint instead
// and records the answer.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

const repo = join(import.meta.dirname, "..");
const examples = join(repo, "examples");
const recordAt = process.argv.indexOf("--record");
const record = recordAt === -1 ? undefined : process.argv[recordAt + 1];
const fail = (message) => {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
};
if (!existsSync(join(repo, "dist", "cli.js"))) fail("grompt is not built yet: run `npm ci` (or `npm run build`) first.");
if (!existsSync(join(repo, "node_modules", ".bin", "tsc")) || !existsSync(join(repo, "node_modules", ".bin", "vitest"))) fail("typescript and vitest are missing: run `npm ci` first.");

const work = mkdtempSync(join(tmpdir(), "grompt-demo-"));
const project = join(work, "weather-report");
const example = join(examples, "weather-report");
cpSync(example, project, { recursive: true, filter: (source) => !relative(example, source).split(sep).includes("node_modules") });
// The example's typescript and vitest are this repository's own: link them, as an install would.
symlinkSync(join(repo, "node_modules"), join(project, "node_modules"), "dir");
const git = (...args) => {
  const result = spawnSync("git", ["-c", "user.name=grompt demo", "-c", "user.email=demo@grompt.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: project, encoding: "utf8" });
  if (result.status !== 0) fail(`git ${args[0]} failed: ${result.stderr}`);
};
git("init", "--quiet");
git("add", "--all");
git("commit", "--quiet", "--message", "weather-report: two clients, one retry loop each");

// A home and a config directory of its own: the demo neither reads nor writes yours, and no key or
// setting of your shell changes the request (FF_STREAM_PATCH=1 still shows the answer as it streams).
const own = record === undefined ? /^(OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|GROMPT_|FF_(?!STREAM_PATCH$)|XDG_CONFIG_HOME$)/ : /^(GROMPT_|FF_(?!STREAM_PATCH$)|XDG_CONFIG_HOME$)/;
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !own.test(name))), GROMPT_HOME: join(work, "home"), XDG_CONFIG_HOME: join(work, "config") };
const instruction = readFileSync(join(examples, "evolve-demo", "instruction.txt"), "utf8").trim();
const out = join(work, "out");
const model = record === undefined ? ["--cassette", join(examples, "evolve-demo", "cassette.jsonl")] : ["--provider", "openai:gpt-4.1-mini", "--record", record];
process.stderr.write(`\n$ grompt evolve "${instruction}"\n  (in ${project}, ${record === undefined ? "answered from examples/evolve-demo/cassette.jsonl" : `recording into ${record}`})\n\n`);
const run = spawnSync(process.execPath, [join(repo, "bin", "grompt"), "evolve", instruction, ...model, "--out", out], { cwd: project, env, stdio: "inherit" });
if (run.status === 0) {
  process.stderr.write(
    [
      "",
      `The validated patch: ${join(out, "changes.patch")}`,
      `Its report (checks per round, patch strategy, usage, timings): ${join(out, "report.json")}`,
      `Try it on the untouched project: cd ${project} && git apply ${join(out, "changes.patch")} && git status`,
      `The job, its events and artifacts: export GROMPT_HOME=${env.GROMPT_HOME}, then grompt jobs list / show / logs`,
      "",
    ].join("\n"),
  );
}
process.exit(run.status ?? 1);
