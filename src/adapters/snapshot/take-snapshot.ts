import { createHash } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { GromptError, isGromptError } from "../../core/domain/errors";
import type { ExclusionReason, ManifestFile, SecretFinding, SnapshotRequest, SnapshotResult } from "../../core/ports/snapshot-port";
import { type CheckedFile, checkFile, readFailure } from "./check-file";
import { createExclusionTally } from "./exclusion-tally";
import { createFileReader } from "./file-reader";
import type { LatxHeader } from "./latx-format";
import { type LatxWriter, createLatxWriter } from "./latx-writer";
import { createOrderedQueue } from "./ordered-queue";
import { describeIoError, prepareOutputs } from "./output-files";
import { type SecretHit, createSecretScanner, redactSecrets } from "./secret-scanner";
import { selectFiles } from "./select-files";
import { createStageClock, sumStageTotals } from "./stage-clock";
import type { TakeSnapshotDeps, TextAnalysis, TextFacts } from "./take-snapshot-deps";
import { emptyTokenCountTable } from "./token-count-table";
import { type ZipWriter, createZipWriter } from "./zip-writer";

/** Longest stretch of synchronous work before the event loop gets a turn (streams flush then). */
const YIELD_EVERY_MS = 15;
/** File contents read but not yet written (in analysis or waiting their turn): bounds memory. */
const MAX_HELD_BYTES = 4 * 1024 * 1024;

const DEFAULT_MAX_FILE_BYTES = 1_000_000;
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** One candidate, ready to be written in its turn. */
type Step =
  | { kind: "link"; path: string; target: string }
  | { kind: "excluded"; path: string; reason: ExclusionReason }
  | { kind: "vanished"; path: string }
  | FileStep;
type FileStep = { kind: "file"; path: string; executable: boolean; content: Buffer; facts: TextFacts };

/**
 * Selection → one streaming pass → atomic outputs. The main thread reads and checks each file and
 * hands its bytes to the analysis (worker threads for large trees); results are written strictly
 * in selection order, with at most MAX_HELD_BYTES of contents held at any time.
 */
export async function takeSnapshot(request: SnapshotRequest, deps: TakeSnapshotDeps): Promise<SnapshotResult> {
  const clock = createStageClock();
  let lap = performance.now();
  const root = resolve(request.root);
  await assertDirectory(root);
  const outDir = resolve(request.outDir);
  const outputs = await prepareOutputs(outDir);
  const secrets = request.secrets ?? "block";
  const maxFileBytes = request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tally = createExclusionTally();
  let latx: LatxWriter | undefined;
  let zip: ZipWriter | undefined;
  let analysis: TextAnalysis | undefined;
  try {
    latx = createLatxWriter(outputs.temp.latxBody);
    zip = await createZipWriter(outputs.temp.zip);
    lap = clock.lap("setup", lap);
    const selection = await selectFiles({
      root,
      include: request.include ?? [],
      exclude: request.exclude ?? [],
      outputDir: outputDirInside(root, outDir),
      maxFileBytes,
      tally,
    });
    lap = clock.lap("select (list, ignore rules, lstat)", lap);
    const expectedBytes = selection.candidates.reduce((sum, c) => sum + (c.kind === "file" ? c.size : 0), 0);
    const known = deps.tokenCounts?.load() ?? emptyTokenCountTable();
    lap = clock.lap("setup", lap);
    const [scanner, opened] = await Promise.all([createSecretScanner(), deps.openTextAnalysis(expectedBytes, clock, known)]);
    analysis = opened;
    const reader = createFileReader(selection.candidates.map((c) => (c.kind === "file" ? c.absolute : undefined)));
    lap = clock.lap("setup", lap);

    const files: ManifestFile[] = [];
    const header: LatxHeader = { snapshotId: "", files: 0, bytes: 0, executables: [], links: [] };
    const byPath = new Map<string, number>();
    // For the token count cache: every content counted, redacted ones also as read (the next run reads them again).
    const counted: { sha256: string; tokens: number }[] = [];
    const redactions: SecretFinding[] = [];
    const blocked: SecretFinding[] = [];
    let done = 0;
    const writeLink = async (path: string, target: string) => {
      await zip?.addLink(path, target);
      header.links.push({ path, target });
      files.push({ path, size: Buffer.byteLength(target), sha256: sha256(target), mode: "120000", linkTarget: target });
    };
    const writeTextFile = async (step: FileStep, hits: SecretHit[]) => {
      const { path, content } = step;
      let at = performance.now();
      latx?.addFile(path, content);
      await zip?.addFile(path, content, step.executable);
      at = clock.lap("write latx + zip", at);
      header.files += 1;
      header.bytes += content.length;
      if (step.executable) header.executables.push(path);
      const entry: ManifestFile = { path, size: content.length, sha256: step.facts.sha256, mode: step.executable ? "100755" : "100644" };
      if (hits.length > 0) {
        entry.redactions = hits.length;
        redactions.push(...hits.map((hit) => finding(path, hit)));
      }
      files.push(entry);
      byPath.set(path, step.facts.tokens);
      counted.push({ sha256: step.facts.sha256, tokens: step.facts.tokens });
      clock.lap("manifest", at);
    };
    const lintSecrets = async (step: FileStep) => {
      const at = performance.now();
      const hits = await scanner.lint(step.path, step.content.toString("utf8"));
      clock.lap("secretlint (pre-filter matches only)", at);
      return hits;
    };
    const redacted = async (step: FileStep, hits: SecretHit[]): Promise<typeof step> => {
      counted.push({ sha256: step.facts.sha256, tokens: step.facts.tokens });
      const content = Buffer.from(redactSecrets(step.content.toString("utf8"), hits), "utf8");
      return { ...step, content, facts: await (analysis as TextAnalysis).analyze(content, false) };
    };

    const queue = createOrderedQueue<Step>(
      async (step) => {
        done += 1;
        if (step.kind === "link") return writeLink(step.path, step.target);
        if (step.kind === "excluded") tally.add(step.reason, step.path);
        else if (step.kind === "file") {
          const hits = step.facts.suspicious ? await lintSecrets(step) : [];
          if (hits.length > 0 && secrets === "block") blocked.push(...hits.map((hit) => finding(step.path, hit)));
          else if (blocked.length === 0) await writeTextFile(hits.length > 0 ? await redacted(step, hits) : step, hits);
        }
        request.onProgress?.({ done, total: selection.candidates.length, bytes: header.bytes });
      },
      { maxBytes: MAX_HELD_BYTES, clock },
    );
    let lastYield = performance.now();
    for (const [index, candidate] of selection.candidates.entries()) {
      if (request.signal?.aborted === true) throw abortError(request.signal);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      const { path } = candidate;
      if (candidate.kind === "link") {
        await queue.push({ kind: "link", path, target: candidate.target }, 0);
        continue;
      }
      let at = performance.now();
      let checked: CheckedFile;
      try {
        const read = reader.read(index);
        const content = read instanceof Promise ? await read : read;
        at = clock.lap("read", at);
        checked = checkFile(content, maxFileBytes);
      } catch (error) {
        checked = readFailure(error);
      }
      clock.lap("check (size, binary, UTF-8, framing)", at);
      if (checked.kind === "text") {
        const content = checked.content;
        const facts = analysis.analyze(content, secrets !== "off");
        await queue.push(facts.then((f): Step => ({ kind: "file", path, executable: candidate.executable, content, facts: f })), content.length);
      } else {
        await queue.push(checked.kind === "vanished" ? { kind: "vanished", path } : { kind: "excluded", path, reason: checked.reason }, 0);
      }
    }
    await queue.drain();
    if (blocked.length > 0) throw secretError(blocked);

    lap = performance.now();
    const manifest = { version: 1 as const, files, totals: { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) } };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    header.snapshotId = sha256(manifestBytes);
    await writeFile(outputs.temp.manifest, manifestBytes);
    await zip.finish();
    await latx.finish(header, outputs.temp.latx);
    await outputs.commit();
    lap = clock.lap("finish (zip directory, latx header, manifest, rename)", lap);
    await deps.tokenCounts?.save(counted);
    if (deps.tokenCounts !== undefined) clock.lap("token count cache (save)", lap);
    const tokens = [...byPath.values()].reduce((sum, n) => sum + n, 0);
    const workers = await analysis.close();
    analysis = undefined;
    return {
      id: header.snapshotId,
      root,
      source: selection.source,
      manifest,
      excluded: tally.list(),
      outputs: outputs.final,
      redactions,
      tokens: { total: tokens, byPath },
      stages: [
        ...Object.entries(clock.totals()).map(([stage, ms]) => ({ stage, thread: "main" as const, ms })),
        ...Object.entries(sumStageTotals(workers)).map(([stage, ms]) => ({ stage, thread: "workers" as const, ms })),
      ],
    };
  } catch (error) {
    await Promise.all([latx?.abort(), zip?.abort()]);
    await outputs.discard();
    if (isGromptError(error) || typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
    throw new GromptError("io_error", `The snapshot could not be written to ${outDir}: ${describeIoError(error)}`, { cause: error });
  } finally {
    await analysis?.close();
  }
}

/** The signal's reason when it is a GromptError (`interrupted` from Ctrl-C), else `canceled`. */
const abortError = (signal: AbortSignal): GromptError =>
  isGromptError(signal.reason) ? signal.reason : new GromptError("canceled", "The snapshot was canceled; nothing was written");

const finding = (path: string, hit: { line: number; column: number; rule: string }): SecretFinding => ({
  path,
  line: hit.line,
  column: hit.column,
  rule: hit.rule,
});

function secretError(found: SecretFinding[]): GromptError {
  const [first] = found;
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : "";
  return new GromptError("secret_detected", `Secret found at ${first?.path}:${first?.line} (rule ${first?.rule})${more}; nothing was written`, {
    hint: "Remove it from the file, mark a false positive with a `secretlint-disable-line` comment, or pass --secrets redact.",
    details: { findings: found.slice(0, 50) },
  });
}

async function assertDirectory(root: string): Promise<void> {
  const stats = await stat(root).catch(() => undefined);
  if (stats?.isDirectory() !== true) {
    throw new GromptError("snapshot_invalid", `${root} is not a directory`, {
      hint: "Run grompt snapshot inside the project, or pass --cwd <dir>.",
    });
  }
}

/** The output directory relative to the root (POSIX), when it lies inside the tree. */
function outputDirInside(root: string, outDir: string): string | undefined {
  const rel = relative(root, outDir);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}
