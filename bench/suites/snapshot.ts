/**
 * `npm run bench snapshot [-- --tree=<dir>] [--runs=<n>]`: grompt's snapshot of a large real tree
 * next to repomix@1.14.0 doing its default run on the same tree (ignore rules, binary skip, secret
 * check, token count) and next to the raw floor of only reading the files grompt selected. Each is
 * measured in its own process: wall time from the outside, peak RSS and CPU time (all threads)
 * from inside. grompt runs twice over: cold (a fresh GROMPT_HOME each run, so its token count
 * cache is empty and every file is counted — the figure the targets are judged on) and warm (the
 * cache filled by an earlier run: what a repeated snapshot of an unchanged tree costs). Then where grompt's time goes (`grompt snapshot --timings`), next to the floor of the
 * work itself: the same files read, checked, decoded, pre-filtered, hashed and token-counted on
 * one thread with grompt's own functions and nothing else.
 * Default tree: a copy of this project's node_modules (tens of thousands of real files) in
 * bench/.work, made once.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fg from "fast-glob";
import type { BenchSuite } from "../run";

const project = resolve(import.meta.dirname, "..", "..");
const work = join(project, "bench", ".work");

interface Measured {
  wallMs: number;
  maxRssKiB: number;
  cpuMs: number;
  stdout: string;
}

interface Stage {
  stage: string;
  thread: "main" | "workers";
  ms: number;
}

/** Runs `node <args>` with the usage reporter preloaded; rejects on a non-zero exit. */
function measure(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measured> {
  const usageFile = join(mkdtempSync(join(tmpdir(), "grompt-bench-")), "usage.json");
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", join(project, "bench", "support", "report-usage.mjs"), ...args], {
      cwd: options.cwd ?? project,
      env: { ...process.env, ...options.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited with ${code}\n${stderr.slice(-2000)}`));
      const { maxRssKiB, cpuMs } = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKiB: number; cpuMs: number };
      resolvePromise({ wallMs, maxRssKiB, cpuMs, stdout });
    });
  });
}

/** A copy of the project's node_modules, once; its own `git init` keeps this repository's .gitignore (which ignores bench/.work) out of both tools' view. */
function defaultTree(): string {
  const tree = join(work, "snapshot-tree", "node_modules");
  if (!existsSync(join(tree, ".git"))) {
    console.log("copying node_modules into bench/.work (once) ...");
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    cpSync(realpathSync(join(project, "node_modules")), tree, { recursive: true, verbatimSymlinks: true });
    execFileSync("git", ["init", "-q"], { cwd: tree });
  }
  return tree;
}

const option = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const best = (runs: Measured[]) => runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
const median = (runs: Measured[]) => [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)] as Measured;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const peak = (runs: Measured[]) => Math.max(...runs.map((r) => r.maxRssKiB));

async function repeat(times: number, run: () => Promise<Measured>): Promise<Measured[]> {
  const results: Measured[] = [];
  for (let i = 0; i < times; i++) results.push(await run());
  return results;
}

const suite: BenchSuite = {
  title: "grompt snapshot vs repomix@1.14.0 (default run) vs the raw read floor, same tree, same run",
  async run(args) {
    const tree = resolve(option(args, "tree") ?? process.env.SNAPSHOT_BENCH_TREE ?? defaultTree());
    const runs = Number(option(args, "runs") ?? 3);
    const scratch = mkdtempSync(join(tmpdir(), "grompt-bench-out-"));
    console.log("building dist/ ...");
    execFileSync("npx", ["tsup", "--silent"], { cwd: project, stdio: "inherit" });

    // Warm the page cache for everyone: read every file of the tree once, unmeasured.
    const everything = await fg("**", { cwd: tree, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: [".git/**"] });
    writeFileSync(join(scratch, "all.txt"), everything.join("\n"));
    await measure([join(project, "bench", "support", "read-floor.mjs"), tree, join(scratch, "all.txt")]);
    console.log(`tree: ${tree} (${everything.length.toLocaleString("en-US")} files)`);
    console.log(`load average before: ${load()} (${availableCores()} cores)\n`);

    const snapshot = (home: string) => {
      const out = join(scratch, `grompt-${Math.random().toString(36).slice(2)}`);
      // redact: like repomix, keep going past the test fixtures that look like secrets.
      return measure([join(project, "bin", "grompt"), "--cwd", tree, "snapshot", "--out", out, "--secrets", "redact", "--json", "--timings"], {
        env: { GROMPT_HOME: home },
      });
    };
    const fresh = () => join(scratch, `home-${Math.random().toString(36).slice(2)}`);
    const grompt = await repeat(runs, () => snapshot(fresh()));
    const warmHome = fresh();
    await snapshot(warmHome); // fills the cache, unmeasured
    const warm = await repeat(runs, () => snapshot(warmHome));
    const summary = JSON.parse(grompt[0]?.stdout ?? "{}") as { files: number; bytes: number; tokens: number; outputs: { manifest: string; latx: string } };
    const warmTokens = (JSON.parse(warm[0]?.stdout ?? "{}") as { tokens: number }).tokens;
    const verified = JSON.parse(
      (await measure(["--import", "tsx", join(project, "bench", "support", "verify-counts.ts"), summary.outputs.latx])).stdout,
    ) as { files: number; reference: number; mismatches: string[] };
    const work = await measure(["--import", "tsx", join(project, "bench", "support", "work-floor.ts"), tree, summary.outputs.manifest]);
    const floor = await repeat(runs, () => measure([join(project, "bench", "support", "read-floor.mjs"), tree, summary.outputs.manifest]));
    const repomix = await repeat(runs, () =>
      measure([join(project, "node_modules", "repomix", "bin", "repomix.cjs"), tree, "-o", join(scratch, "repomix.xml")], { cwd: tree }),
    );
    const repomixText = repomix[0]?.stdout ?? "";
    const figure = (label: string) => Number(new RegExp(`${label}:\\s*([\\d,]+)`).exec(repomixText)?.[1]?.replaceAll(",", "") ?? NaN);
    const repomixFiles = figure("Total Files");
    const repomixChars = figure("Total Chars");
    const repomixTokens = figure("Total Tokens");

    const rows: [string, number, number, number | undefined, Measured[]][] = [
      ["read floor", summary.files, summary.bytes, undefined, floor],
      ["grompt cold", summary.files, summary.bytes, summary.tokens, grompt],
      ["grompt warm", summary.files, summary.bytes, warmTokens, warm],
      ["repomix 1.14.0", repomixFiles, repomixChars, repomixTokens, repomix],
    ];
    const n = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
    console.log(
      `${"".padEnd(16)}${"files".padStart(9)}${"MB in".padStart(9)}${"tokens".padStart(13)}${"best s".padStart(9)}${"median s".padStart(10)}` +
        `${"cpu s".padStart(8)}${"MB/s".padStart(8)}${"peak MiB".padStart(10)}`,
    );
    for (const [label, files, bytes, tokens, measured] of rows) {
      const wall = best(measured).wallMs / 1000;
      console.log(
        `${label.padEnd(16)}${n(files).padStart(9)}${n(bytes / 1e6, 1).padStart(9)}${(tokens === undefined ? "-" : n(tokens)).padStart(13)}` +
          `${n(wall, 2).padStart(9)}${n(median(measured).wallMs / 1000, 2).padStart(10)}${n(best(measured).cpuMs / 1000, 2).padStart(8)}` +
          `${n(bytes / 1e6 / wall, 1).padStart(8)}${n(peak(measured) / 1024).padStart(10)}`,
      );
    }
    const g = best(grompt).wallMs;
    const r = best(repomix).wallMs;
    const f = best(floor).wallMs;
    console.log(
      `\ngrompt vs repomix: ${n(r / g, 1)}× faster by wall time, ${n(summary.bytes / g / (repomixChars / r), 1)}× by bytes processed per second, ` +
        `${n(peak(repomix) / peak(grompt), 1)}× less peak memory`,
    );
    console.log(`grompt vs read floor: cold ${n(g / f, 1)}×, warm ${n(best(warm).wallMs / f, 1)}× the wall time of only reading the same ${n(summary.files)} files`);
    console.log("(cold: a fresh GROMPT_HOME per run, empty token count cache, every file counted; warm: the cache filled by an earlier run)");
    const exact = verified.reference === summary.tokens && verified.reference === warmTokens && verified.mismatches.length === 0;
    console.log(
      `exact counts: ${exact ? "yes" : "NO"} — gpt-tokenizer's countTokens over the ${n(verified.files)} files of the cold .latx: ${n(verified.reference)}; ` +
        `grompt cold ${n(summary.tokens)}, warm ${n(warmTokens)}; files its counter counts differently: ${verified.mismatches.length}` +
        (verified.mismatches.length > 0 ? ` (${verified.mismatches.slice(0, 5).join(", ")})` : ""),
    );
    console.log(`(best of ${runs} runs each; the selections differ: grompt's defaults also leave out nested dist/, build/, *.map and *.min.*)`);
    const required = printStages(JSON.parse(best(grompt).stdout) as { timings: Stage[] }, JSON.parse(work.stdout) as { stages: Record<string, number> });
    const cores = availableParallelism();
    console.log(
      `  on ${cores} cores that work alone takes at least ${n(required / cores / 1000, 2)} s = ${n(required / cores / f, 1)}× the read floor ` +
        `(the exact token count alone: ${n((JSON.parse(work.stdout) as { stages: Record<string, number> }).stages.tokenize ?? 0, 0)} ms on one thread)`,
    );
    console.log("\nwarm run (best), where the time goes:");
    for (const { stage, thread, ms: spent } of (JSON.parse(best(warm).stdout) as { timings: Stage[] }).timings) {
      console.log(`  ${thread.padEnd(8)} ${stage.padEnd(58)}${`${Math.round(spent).toLocaleString("en-US")} ms`.padStart(10)}`);
    }
    console.log(`\nload average after: ${load()}`);
    rmSync(scratch, { recursive: true, force: true });
  },
};

const availableCores = () => availableParallelism().toString();

/** grompt's own per-stage times (best run) next to the single-thread floor of the required work. */
function printStages(grompt: { timings: Stage[] }, floor: { stages: Record<string, number> }): number {
  const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`.padStart(10);
  console.log("\nwhere grompt's time goes (best cold run; worker stages are summed over the worker threads):");
  for (const { stage, thread, ms: spent } of grompt.timings) console.log(`  ${thread.padEnd(8)} ${stage.padEnd(58)}${ms(spent)}`);
  const total = Object.values(floor.stages).reduce((sum, value) => sum + value, 0);
  console.log("\nthe required work alone, on one thread (grompt's own functions, no outputs written):");
  for (const [stage, spent] of Object.entries(floor.stages)) console.log(`  ${stage.padEnd(67)}${ms(spent)}`);
  console.log(`  ${"total".padEnd(67)}${ms(total)}`);
  return total;
}

export default suite;
