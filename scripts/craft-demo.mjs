#!/usr/bin/env node
/**
 * `npm run demo:craft`: grompt's most complete flow that runs on a fresh clone with no API key and no
 * network. A craft job (queued → prompting → done) answered from a committed cassette, streamed to
 * the terminal, stored with usage, cost and its artifact; then the job as `grompt jobs` shows it,
 * and the built-in prompts' evals replayed as a CI gate. Everything lives in a temporary
 * GROMPT_HOME, removed at the end.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "grompt");
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("dist/ is missing: run `npm ci` (or `npm run build`) first.");
  process.exit(2);
}
const demo = join(root, "examples", "craft-demo");
const request = JSON.parse(readFileSync(join(demo, "request.json"), "utf8"));
const home = mkdtempSync(join(tmpdir(), "grompt-demo-"));
// No key, no user config, no flags from the caller's shell: the demo must behave the same everywhere.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|GROMPT_|FF_|XDG_CONFIG_HOME$)/.test(name)));
Object.assign(env, { GROMPT_HOME: join(home, "home"), XDG_CONFIG_HOME: join(home, "config") });

const shown = (args) => args.map((arg) => (/^[\w./:=-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
function grompt(args, { capture = false, show = true } = {}) {
  if (show) process.stderr.write(`\n\x1b[1m$ grompt ${shown(args).replaceAll(root, ".").replaceAll(home, "$TMP")}\x1b[0m\n`);
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: home, env, stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"], encoding: "utf8" });
  if (run.status !== 0) {
    console.error(`grompt ${args[0]} exited with ${run.status}`);
    process.exit(run.status ?? 1);
  }
  return run.stdout;
}

try {
  process.stderr.write(`GROMPT_HOME=${env.GROMPT_HOME}\n`);
  const ideas = request.ideas.flatMap((idea) => ["--idea", idea]);
  grompt(["craft", ...ideas, "--purpose", request.purpose, "--cassette", join(demo, "cassette.jsonl"), "--out", join(home, "crafted-prompt.md")]);
  grompt(["jobs", "list"]);
  const [job] = JSON.parse(grompt(["jobs", "list", "--json"], { capture: true, show: false })).jobs;
  grompt(["jobs", "show", job.id]);
  grompt(["jobs", "logs", job.id]);
  grompt(["prompts", "eval", "--cassette", join(root, "prompts", "evals", "cassette.jsonl")]);
} finally {
  rmSync(home, { recursive: true, force: true });
}
