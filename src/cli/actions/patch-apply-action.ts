import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import chalk from "chalk";
import type { Command } from "commander";
import { GromptError } from "../../core/domain/errors";
import {
  applyPlan,
  defaultMaxAnswerBytes,
  patchFailureError,
  planPatch,
  renderPatchFailure,
  renderPatchPlan,
  type PatchOutcome,
  type TouchedFile,
} from "../../app/patch";
import { globalOptions } from "../global-options";

export interface PatchApplyFlags {
  check?: boolean;
  json?: boolean;
}

/** `grompt patch apply <file>`: plan the diff against --cwd, then apply it all or nothing. */
export async function patchApplyAction(file: string, options: PatchApplyFlags, command: Command): Promise<void> {
  const root = resolve(globalOptions(command).cwd);
  await requireDirectory(root);
  const text = await readAnswer(file);
  const outcome = await planPatch({ root, text });
  if (!outcome.ok) {
    if (options.json === true) writeJson(outcome);
    else process.stderr.write(renderPatchFailure(outcome.failure));
    throw patchFailureError(outcome.failure);
  }
  const touched = options.check === true ? [] : await applyPlan(outcome.plan);
  if (options.json === true) {
    writeJson(outcome, { applied: options.check !== true, touched });
    return;
  }
  process.stdout.write(renderPatchPlan(outcome.plan));
  const verdict = options.check === true ? chalk.green("the patch applies (--check: nothing written)") : chalk.green(`applied: ${touchedSummary(touched)}`);
  process.stdout.write(`${verdict}\n`);
}

function writeJson(outcome: PatchOutcome, result?: { applied: boolean; touched: TouchedFile[] }): void {
  const report = outcome.ok
    ? { ok: true, applied: result?.applied ?? false, root: outcome.plan.root, files: outcome.plan.files, stats: outcome.plan.stats, touched: result?.touched ?? [] }
    : { ok: false, ...outcome.failure };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

function touchedSummary(touched: readonly TouchedFile[]): string {
  return touched.map((file) => `${file.action} ${file.path}`).join(", ");
}

async function requireDirectory(root: string): Promise<void> {
  const stats = await stat(root).catch(() => undefined);
  if (stats?.isDirectory() !== true) {
    throw new GromptError("usage", `--cwd ${root} is not a directory.`, { hint: "Point --cwd at the repository the diff is for." });
  }
}

/**
 * Reads the answer, stopping one byte past the engine's limit: enough for it to refuse an
 * oversized answer without holding all of it.
 */
async function readAnswer(file: string): Promise<Uint8Array> {
  const limit = defaultMaxAnswerBytes + 1;
  if (file === "-") return readStream(process.stdin, limit);
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new GromptError("io_error", `Cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}.`, {
      hint: "Pass the path of a file holding the diff, or - to read it from stdin.",
      cause: error,
    });
  });
  try {
    if ((await handle.stat()).isDirectory()) throw new GromptError("usage", `${file} is a directory, not a diff.`, { hint: "Pass a file, or - for stdin." });
    return await readStream(handle.createReadStream({ autoClose: false }), limit);
  } finally {
    await handle.close();
  }
}

async function readStream(stream: NodeJS.ReadableStream, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    size += buffer.byteLength;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
