import { mkdir, rename, writeFile } from "node:fs/promises";
import { statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { Container } from "../../app/container";
import { applyJobPatch, patchArtifactName, reportArtifactName } from "../../app/evolve/apply-job-patch";
import { createEvolveJob } from "../../app/evolve/create-evolve-job";
import type { EvolveReport } from "../../app/evolve/evolve-report";
import { GromptError, toGromptError } from "../../core/domain/errors";
import type { ArtifactRecord } from "../../core/ports/store-port";
import { globalOptions } from "../global-options";
import { openContainer } from "../open-container";
import { colorDiff } from "../render/color-diff";
import { cancelJobOnCtrlC } from "../cancel-on-ctrl-c";
import { createEvolveProgress } from "../render/evolve-progress";
import { type EvolveSummaryInput, evolveJson, evolveSummaryText } from "../render/evolve-summary";
import { runJobHere } from "../run-job-here";

export interface EvolveFlags {
  provider?: string;
  model?: string;
  include?: string[];
  exclude?: string[];
  prompt?: string;
  checks?: string[];
  validate: boolean;
  maxRounds?: number;
  apply?: boolean;
  out?: string;
  json?: boolean;
  ci?: boolean;
  cache: boolean;
  record?: string;
  cassette?: string;
}

/** `grompt evolve <instruction>`: runs the evolve job here, with progress on stderr and the diff on stdout. */
export async function evolveAction(instruction: string, flags: EvolveFlags, command: Command): Promise<void> {
  const container = openContainer(command);
  try {
    await evolve(instruction, flags, container, globalOptions(command).cwd);
  } finally {
    await container.close();
  }
}

async function evolve(instruction: string, flags: EvolveFlags, container: Container, cwd: string): Promise<void> {
  const started = Date.now();
  const machine = flags.ci === true || flags.json === true;
  const summary: EvolveSummaryInput = { artifacts: [], durationMs: 0 };
  const outDir = flags.out !== undefined ? checkOutDir(resolve(cwd, flags.out)) : undefined;
  try {
    if (instruction.trim() === "") throw new GromptError("usage", "the instruction is empty", { hint: 'Say what to change: grompt evolve "extract the retry loop into a helper"' });
    const jobs = await container.jobs();
    const created = await createEvolveJob(
      {
        instruction,
        cwd: resolve(cwd),
        include: flags.include,
        exclude: flags.exclude,
        provider: flags.provider,
        model: flags.model,
        prompt: flags.prompt,
        checks: flags.checks,
        maxRounds: flags.maxRounds,
        validate: flags.validate,
        cassette: flags.cassette === undefined ? undefined : resolve(cwd, flags.cassette),
        record: flags.record === undefined ? undefined : resolve(cwd, flags.record),
        noCache: !flags.cache,
        scope: "cli",
      },
      { jobs, providers: container.providers, prompts: () => container.prompts() },
    );
    const jobId = created.job.id;
    summary.job = created.job;
    const tty = !machine && process.stderr.isTTY === true;
    const spinner = tty ? (await import("ora")).default({ stream: process.stderr, discardStdin: false }) : undefined;
    const progress = machine ? undefined : createEvolveProgress({ stream: process.stderr, spinner, streamPatch: container.config.flags.streamPatch, model: `${created.providerName === "replay" ? "replay of " : ""}${created.job.provider}:${created.job.model}` });
    if (!machine) process.stderr.write(`Evolving ${displayCwd(cwd)} with ${created.providerName}:${created.job.model} (job ${jobId})\n`);
    // Ctrl-C cancels the job (its runner also removes the worktree); a second one leaves at once.
    // Ctrl-C cancels the job (its runner stops the model call and the checks, and removes the worktree); a second one leaves at once.
    const stopListening = cancelJobOnCtrlC(jobs, jobId, () => progress?.stop());
    let failure: GromptError | undefined;
    try {
      summary.job = await runJobHere(container, jobId, { onEvent: (record) => progress?.onEvent(record) });
    } catch (error) {
      failure = toGromptError(error);
    } finally {
      progress?.stop();
      stopListening();
    }

    const details = await jobs.show(jobId);
    summary.job = details.job;
    summary.artifacts = details.artifacts;
    summary.report = await readReport(container, details.artifacts);
    const out = outDir ?? (flags.ci === true ? join(tmpdir(), `grompt-evolve-${jobId}`) : undefined);
    if (out !== undefined) summary.written = await writeArtifacts(container, details.artifacts, out);
    if (failure !== undefined) throw failure;

    // The job is done: its patch validated, or there was nothing to validate it with (--no-validate, no checks).
    if (flags.apply === true) summary.applied = await applyJobPatch({ jobId }, { jobs, blobs: container.blobs });
    summary.durationMs = Date.now() - started;
    if (machine) process.stdout.write(`${JSON.stringify(evolveJson(summary), null, 2)}\n`);
    else {
      const patch = details.artifacts.find((artifact) => artifact.name === patchArtifactName);
      if (patch !== undefined) process.stdout.write(colorDiff(Buffer.from(await container.blobs.get(patch.sha256)).toString("utf8")));
      process.stderr.write(`\n${evolveSummaryText(summary, cwd)}`);
    }
  } catch (error) {
    const failure = toGromptError(error);
    summary.error = failure.toFailure();
    summary.durationMs = Date.now() - started;
    if (machine) process.stdout.write(`${JSON.stringify(evolveJson(summary), null, 2)}\n`);
    else if (summary.report?.patch !== undefined) process.stderr.write(`\n${evolveSummaryText(summary, cwd)}`);
    throw failure;
  }
}

async function readReport(container: Container, artifacts: readonly ArtifactRecord[]): Promise<EvolveReport | undefined> {
  const artifact = artifacts.find((candidate) => candidate.name === reportArtifactName);
  if (artifact === undefined) return undefined;
  return JSON.parse(Buffer.from(await container.blobs.get(artifact.sha256)).toString("utf8")) as EvolveReport;
}

/** Copies every artifact of the job into `dir` (each written under a temporary name, then renamed). */
async function writeArtifacts(container: Container, artifacts: readonly ArtifactRecord[], dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const written: Record<string, string> = {};
  for (const artifact of artifacts) {
    const target = join(dir, artifact.name);
    await writeFile(`${target}.tmp`, await container.blobs.get(artifact.sha256));
    await rename(`${target}.tmp`, target);
    written[artifact.name] = target;
  }
  return written;
}

function checkOutDir(dir: string): string {
  if (statSync(dir, { throwIfNoEntry: false })?.isFile() === true) throw new GromptError("invalid_input", `--out ${dir} is a file`, { hint: "Name a directory; it is created when missing." });
  return dir;
}

const displayCwd = (cwd: string): string => {
  const home = process.env.HOME;
  return home !== undefined && home !== "" && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd;
};
