import { statSync } from "node:fs";
import { resolve } from "node:path";
import chalk from "chalk";
import type { Command } from "commander";
import { resolveCraftRequest } from "../../app/craft/ask-craft-request";
import { craftSettings } from "../../app/craft/craft-inputs";
import { craftedPromptArtifact } from "../../app/craft/craft-job-handler";
import { type CreatedCraftJob, createCraftJob } from "../../app/craft/create-craft-job";
import { type SaveTarget, checkSaveTarget, saveCraftedPrompt } from "../../app/craft/save-crafted-prompt";
import { writeFileAtomic } from "../../app/craft/write-file-atomic";
import type { Container } from "../../app/container";
import { GromptError } from "../../core/domain/errors";
import type { Job } from "../../core/domain/job";
import { displayPath } from "../display-path";
import { globalOptions } from "../global-options";
import { inquirerCraftAsker } from "../inquirer-craft-asker";
import { cancelJobOnCtrlC } from "../cancel-on-ctrl-c";
import { openContainer } from "../open-container";
import { craftSummaryLine } from "../render/craft-summary";
import { runJobHere } from "../run-job-here";

export interface CraftFlags {
  idea: string[];
  purpose?: string;
  lang?: string;
  maxTokens?: string;
  provider?: string;
  model?: string;
  out?: string;
  json?: boolean;
  saveAs?: string;
  force?: boolean;
  cache: boolean;
  record?: string;
  cassette?: string;
}

/** `grompt craft`: asks for ideas on a terminal when none are given, runs the craft job here and streams its answer. */
export async function craftAction(flags: CraftFlags, command: Command): Promise<void> {
  const container = openContainer(command);
  try {
    await craft(flags, container, globalOptions(command).cwd);
  } finally {
    await container.close();
  }
}

async function craft(flags: CraftFlags, container: Container, cwd: string): Promise<void> {
  // Everything that can be refused is refused before a question is asked or a job exists.
  const request = { ideas: flags.idea, purpose: flags.purpose, lang: flags.lang, maxTokens: flags.maxTokens };
  craftSettings(request);
  const out = flags.out === undefined ? undefined : checkOutFile(resolve(cwd, flags.out));
  const target = saveTarget(flags, container, cwd);
  if (target !== undefined) checkSaveTarget(target);

  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const inputs = await resolveCraftRequest(request, { interactive, ask: interactive ? inquirerCraftAsker() : undefined });
  const jobs = await container.jobs();
  const created = await createCraftJob(
    {
      ideas: inputs.vars.ideas,
      purpose: inputs.vars.purpose,
      lang: inputs.vars.language,
      maxTokens: inputs.vars.max_tokens,
      provider: flags.provider,
      model: flags.model,
      cassette: flags.cassette === undefined ? undefined : resolve(cwd, flags.cassette),
      record: flags.record === undefined ? undefined : resolve(cwd, flags.record),
      noCache: !flags.cache,
    },
    { jobs, providers: container.providers },
  );
  const job = await streamCraftJob(container, created, { streaming: flags.json !== true });

  const artifact = (await jobs.show(job.id)).artifacts.find((stored) => stored.name === craftedPromptArtifact.name);
  if (artifact === undefined) throw new GromptError("internal", `craft job ${job.id} ended without its ${craftedPromptArtifact.name} artifact`);
  const crafted = Buffer.from(await container.blobs.get(artifact.sha256)).toString("utf8");
  if (out !== undefined) writeFileAtomic(out, crafted, { overwrite: true });
  const saved = target === undefined ? undefined : saveCraftedPrompt({ ...target, crafted, purpose: inputs.vars.purpose, ideas: inputs.vars.ideas });

  if (flags.json === true) {
    const result = { job, prompt: crafted, artifact, ...(out === undefined ? {} : { out }), ...(saved === undefined ? {} : { savedAs: { id: target?.id, ...saved } }) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const notes = [chalk.dim(craftSummaryLine(job, created.providerName))];
  if (job.result?.truncated === true) notes.push(chalk.yellow("warning: the model hit its token cap; the prompt may stop mid-sentence (raise --max-tokens)"));
  if (out !== undefined) notes.push(chalk.dim(`wrote ${displayPath(out, cwd)}`));
  if (saved !== undefined && target !== undefined) {
    const shadows = saved.shadows === undefined ? "" : ` (shadows the ${saved.shadows.source} prompt in ${displayPath(saved.shadows.file, cwd)})`;
    notes.push(chalk.dim(`saved prompt ${target.id} in ${displayPath(saved.file, cwd)}${shadows}; see it: grompt prompts show ${target.id}`));
  }
  process.stderr.write(`${notes.join("\n")}\n`);
}

/**
 * Runs the job here and prints its answer as the chunk events arrive (ora on stderr until the first
 * one, on a terminal). Ctrl-C cancels the job — its runner aborts the provider call — and a second
 * Ctrl-C leaves at once.
 */
async function streamCraftJob(container: Container, created: CreatedCraftJob, options: { streaming: boolean }): Promise<Job> {
  const jobs = await container.jobs();
  const { id } = created.job;
  const spinner =
    options.streaming && process.stderr.isTTY === true
      ? (await import("ora")).default({ stream: process.stderr, text: `Crafting with ${created.providerName}:${created.job.model} (job ${id})` }).start()
      : undefined;
  const stopListening = cancelJobOnCtrlC(jobs, id, () => spinner?.stop());
  let endsWithNewline = true;
  try {
    return await runJobHere(container, id, {
      onEvent: ({ event }) => {
        if (event.type === "provider-retried" && spinner !== undefined) spinner.text = `Retrying after ${event.code} (attempt ${event.attempt})…`;
        if (event.type !== "provider-chunk" || !options.streaming) return;
        spinner?.stop();
        process.stdout.write(event.text);
        endsWithNewline = event.text.endsWith("\n");
      },
    });
  } finally {
    spinner?.stop();
    stopListening();
    if (!endsWithNewline && process.stdout.isTTY) process.stdout.write("\n");
  }
}

/** Where `--save-as` writes, with what the registry holds under that id (checked before and after the job). */
function saveTarget(flags: CraftFlags, container: Container, cwd: string): SaveTarget | undefined {
  if (flags.saveAs === undefined) {
    if (flags.force === true) throw new GromptError("usage", "--force only applies with --save-as <id>");
    return undefined;
  }
  const dir = container.promptDirectories.find((directory) => directory.source === "project")?.dir ?? resolve(cwd, ".grompt", "prompts");
  const found = container.prompts().find(flags.saveAs);
  const existing = found === undefined ? undefined : { file: found.file, source: found.source };
  return { id: flags.saveAs, dir, overwrite: flags.force === true, existing };
}

/** `--out` must name a file we can replace, not a directory. */
function checkOutFile(path: string): string {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new GromptError("invalid_input", `--out ${path} is a directory`, { hint: "Name a file, for example --out prompt.md." });
  }
  return path;
}
