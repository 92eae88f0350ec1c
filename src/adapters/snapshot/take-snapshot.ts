import { createHash } from "node:crypto";
import { stat, writeFile } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { GromptError, isGromptError } from "../../core/domain/errors";
import type { ManifestFile, SecretFinding, SnapshotRequest, SnapshotResult } from "../../core/ports/snapshot-port";
import { createExclusionTally } from "./exclusion-tally";
import { createFileReader } from "./file-reader";
import type { LatxHeader } from "./latx-format";
import { type LatxWriter, createLatxWriter } from "./latx-writer";
import { describeIoError, prepareOutputs } from "./output-files";
import { prepareFile } from "./prepare-file";
import { createSecretScanner } from "./secret-scanner";
import { selectFiles } from "./select-files";
import { type ZipWriter, createZipWriter } from "./zip-writer";

/** Exact o200k_base token counts, possibly computed off the main thread. */
export interface TokenCounting {
  count(text: string): Promise<number>;
  /** Resolves when more text can be queued without growing memory further. */
  capacity(): Promise<void>;
  close(): Promise<void>;
}

export interface TakeSnapshotDeps {
  /** Opens a token counter sized for about `expectedBytes` of text (app/snapshot/token-counting). */
  openTokenCounting: (expectedBytes: number) => Promise<TokenCounting>;
}

/** Longest stretch of synchronous work before the event loop gets a turn (streams flush then). */
const YIELD_EVERY_MS = 15;

const DEFAULT_MAX_FILE_BYTES = 1_000_000;
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Selection → one streaming pass (read, check, scan, hash, count, write) → atomic outputs. */
export async function takeSnapshot(request: SnapshotRequest, deps: TakeSnapshotDeps): Promise<SnapshotResult> {
  const root = resolve(request.root);
  await assertDirectory(root);
  const outDir = resolve(request.outDir);
  const outputs = await prepareOutputs(outDir);
  const secrets = request.secrets ?? "block";
  const maxFileBytes = request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const tally = createExclusionTally();
  let latx: LatxWriter | undefined;
  let zip: ZipWriter | undefined;
  let closeCounting = async () => {};
  try {
    latx = createLatxWriter(outputs.temp.latxBody);
    zip = await createZipWriter(outputs.temp.zip);
    const selection = await selectFiles({
      root,
      include: request.include ?? [],
      exclude: request.exclude ?? [],
      outputDir: outputDirInside(root, outDir),
      maxFileBytes,
      tally,
    });
    const expectedBytes = selection.candidates.reduce((sum, c) => sum + (c.kind === "file" ? c.size : 0), 0);
    const [scanner, counting] = await Promise.all([createSecretScanner(), deps.openTokenCounting(expectedBytes)]);
    closeCounting = () => counting.close();
    const context = { maxFileBytes, secrets, scanner };
    const reader = createFileReader(selection.candidates.map((c) => (c.kind === "file" ? c.absolute : undefined)));

    const files: ManifestFile[] = [];
    const header: LatxHeader = { snapshotId: "", files: 0, bytes: 0, executables: [], links: [] };
    const counts: Promise<[string, number]>[] = [];
    const redactions: SecretFinding[] = [];
    const blocked: SecretFinding[] = [];
    let done = 0;
    let lastYield = performance.now();
    for (const [index, candidate] of selection.candidates.entries()) {
      if (request.signal?.aborted === true) throw abortError(request.signal);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      done += 1;
      if (candidate.kind === "link") {
        const { path, target } = candidate;
        await zip.addLink(path, target);
        header.links.push({ path, target });
        files.push({ path, size: Buffer.byteLength(target), sha256: sha256(target), mode: "120000", linkTarget: target });
        continue;
      }
      const result = await prepareFile(candidate, { ...context, read: () => reader.read(index) });
      if (result.kind === "excluded") tally.add(result.reason, result.path);
      else if (result.kind === "secret") blocked.push(...result.hits.map((hit) => finding(result.path, hit)));
      else if (result.kind === "file" && blocked.length === 0) {
        const { path, content } = result;
        latx.addFile(path, content);
        await zip.addFile(path, content, result.executable);
        header.files += 1;
        header.bytes += content.length;
        if (result.executable) header.executables.push(path);
        const entry: ManifestFile = { path, size: content.length, sha256: result.sha256, mode: result.executable ? "100755" : "100644" };
        if (result.hits.length > 0) {
          entry.redactions = result.hits.length;
          redactions.push(...result.hits.map((hit) => finding(path, hit)));
        }
        files.push(entry);
        await counting.capacity();
        counts.push(counting.count(result.text).then((tokens) => [path, tokens]));
      }
      request.onProgress?.({ done, total: selection.candidates.length, bytes: header.bytes });
    }
    if (blocked.length > 0) throw secretError(blocked);

    const manifest = { version: 1 as const, files, totals: { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) } };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    header.snapshotId = sha256(manifestBytes);
    await writeFile(outputs.temp.manifest, manifestBytes);
    await zip.finish();
    await latx.finish(header, outputs.temp.latx);
    const byPath = new Map(await Promise.all(counts));
    const tokens = [...byPath.values()].reduce((sum, n) => sum + n, 0);
    await outputs.commit();
    return {
      id: header.snapshotId,
      root,
      source: selection.source,
      manifest,
      excluded: tally.list(),
      outputs: outputs.final,
      redactions,
      tokens: { total: tokens, byPath },
    };
  } catch (error) {
    await Promise.all([latx?.abort(), zip?.abort()]);
    await outputs.discard();
    if (isGromptError(error) || typeof (error as NodeJS.ErrnoException).code !== "string") throw error;
    throw new GromptError("io_error", `The snapshot could not be written to ${outDir}: ${describeIoError(error)}`, { cause: error });
  } finally {
    await closeCounting();
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
