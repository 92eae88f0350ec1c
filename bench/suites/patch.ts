/**
 * The patch engine on its own corpus: throughput (cases per second, plan + atomic apply on real
 * temp trees), and on the clean cases — diffs `git apply` takes too — the time next to
 * `git apply` on the same inputs, in the same run: in-process engine vs git, and the CLI vs git
 * (both as processes). Accuracy on the corpus is printed for context.
 */
import { execFileSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { applyPlan, planPatch } from "../../src/app/patch";
import type { CorpusCase } from "../../test/patch/corpus/corpus-case";
import { loadCorpus } from "../../test/patch/corpus/load-corpus";
import { answerOf, materialize, runCase, runGitApply, type Sandbox } from "../../test/patch/corpus/run-case";
import type { BenchSuite } from "../run";

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  const value = at === -1 ? undefined : Number(args[at + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Milliseconds spent in `work` for every case, each on a fresh tree made outside the timing. */
async function timeCases(cases: readonly CorpusCase[], work: (corpusCase: CorpusCase, sandbox: Sandbox) => Promise<void>): Promise<number> {
  let total = 0;
  for (const corpusCase of cases) {
    const sandbox = await materialize(corpusCase);
    try {
      const started = performance.now();
      await work(corpusCase, sandbox);
      total += performance.now() - started;
    } finally {
      await rm(sandbox.base, { recursive: true, force: true });
    }
  }
  return total;
}

const engine = async (corpusCase: CorpusCase, sandbox: Sandbox): Promise<void> => {
  const outcome = await planPatch({ root: sandbox.root, text: answerOf(corpusCase) });
  if (outcome.ok) await applyPlan(outcome.plan);
};

/** Writes the answer beside the tree before timing starts, then times only the process. */
const processRunner =
  (command: (patchFile: string) => [string, string[]]) =>
  async (corpusCase: CorpusCase, sandbox: Sandbox): Promise<number> => {
    const patchFile = join(sandbox.base, "answer.patch");
    await writeFile(patchFile, answerOf(corpusCase));
    const [file, args] = command(patchFile);
    const started = performance.now();
    execFileSync(file, args, { cwd: sandbox.root, stdio: "ignore" });
    return performance.now() - started;
  };

async function timeProcesses(cases: readonly CorpusCase[], runner: (corpusCase: CorpusCase, sandbox: Sandbox) => Promise<number>): Promise<number> {
  let total = 0;
  for (const corpusCase of cases) {
    const sandbox = await materialize(corpusCase);
    try {
      total += await runner(corpusCase, sandbox);
    } finally {
      await rm(sandbox.base, { recursive: true, force: true });
    }
  }
  return total;
}

const suite: BenchSuite = {
  title: "patch engine throughput on its corpus, and clean diffs next to `git apply` (same inputs, same run)",
  async run(args) {
    const rounds = option(args, "--rounds", 3);
    // The 50 MB answer measures a size check, not patching: it is left out of the throughput.
    const corpus = loadCorpus().filter((corpusCase) => corpusCase.reason !== "input-too-large");
    const clean = corpus.filter((corpusCase) => corpusCase.clean);
    const applicable = corpus.filter((corpusCase) => corpusCase.expect === "applied");

    const ours = await Promise.all(applicable.map(runCase));
    const git = await Promise.all(applicable.map(runGitApply));
    const correct = (results: { outcome: string }[]): number => results.filter((result) => result.outcome === "correct").length;
    console.log(`corpus: ${corpus.length} cases (${applicable.length} applicable, ${corpus.length - applicable.length} to refuse)`);
    console.log(`accuracy on applicable cases: grompt ${correct(ours)}/${applicable.length}, git apply ${correct(git)}/${applicable.length}`);

    const throughput: number[] = [];
    for (let round = 0; round < rounds; round += 1) throughput.push(corpus.length / ((await timeCases(corpus, engine)) / 1000));
    throughput.sort((x, y) => x - y);
    console.log(`\nthroughput, whole corpus (plan + apply on real temp trees), median of ${rounds}: ${throughput[Math.floor(rounds / 2)]?.toFixed(0)} cases/s`);

    const engineMs: number[] = [];
    const gitMs: number[] = [];
    const cliMs: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      engineMs.push(await timeCases(clean, engine));
      gitMs.push(await timeProcesses(clean, processRunner((patchFile) => ["git", ["apply", patchFile]])));
      cliMs.push(await timeProcesses(clean, processRunner((patchFile) => [process.execPath, [bin, "patch", "apply", patchFile]])));
    }
    const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
    const perCase = (ms: number): string => `${(ms / clean.length).toFixed(2)} ms/case`;
    const [engineTotal, gitTotal, cliTotal] = [median(engineMs), median(gitMs), median(cliMs)];
    console.log(`\nclean cases (${clean.length} git-style diffs of real files), median of ${rounds} rounds:`);
    console.log(`| runner | total | per case | vs git apply |`);
    console.log(`|---|---|---|---|`);
    console.log(`| git apply (process) | ${gitTotal.toFixed(0)} ms | ${perCase(gitTotal)} | 1.00× |`);
    console.log(`| grompt engine (in process: planPatch + applyPlan) | ${engineTotal.toFixed(0)} ms | ${perCase(engineTotal)} | ${(engineTotal / gitTotal).toFixed(2)}× |`);
    console.log(`| grompt patch apply (process) | ${cliTotal.toFixed(0)} ms | ${perCase(cliTotal)} | ${(cliTotal / gitTotal).toFixed(2)}× |`);
  },
};

export default suite;
