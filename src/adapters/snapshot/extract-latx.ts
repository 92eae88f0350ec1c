import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { chmod, lstat, mkdir, rename, rm, stat, symlink } from "node:fs/promises";
import { once } from "node:events";
import { dirname, join, posix } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { ExtractRequest, ExtractResult } from "../../core/ports/snapshot-port";
import { parseHeader } from "./latx-format";
import { parseLatx } from "./latx-reader";
import { describeIoError } from "./output-files";

interface ExtractPlan {
  files: string[];
  executables: Set<string>;
  links: { path: string; target: string }[];
  skippedLinks: { path: string; target: string }[];
}

/**
 * Plan, then apply: the whole .latx is read once to validate every path (relative, no `..`, no
 * `.git`, no duplicates, nothing already in `dest` unless overwriting, no link on the way) before a
 * single byte is written; then it is read again and each file is written atomically.
 */
export async function extractLatx(request: ExtractRequest): Promise<ExtractResult> {
  const source = await stat(request.latx).catch(() => undefined);
  if (source?.isFile() !== true) {
    throw new GromptError("snapshot_invalid", `${request.latx} is not a readable file`, { hint: "Give the path of a snapshot.latx." });
  }
  const plan = await planExtraction(request.latx);
  await checkDestination(request.dest, plan, request.overwrite === true);
  try {
    return await applyExtraction(request, plan);
  } catch (error) {
    if (error instanceof GromptError) throw error;
    throw new GromptError("io_error", `Cannot extract into ${request.dest}: ${describeIoError(error)}`, { cause: error });
  }
}

async function planExtraction(latx: string): Promise<ExtractPlan> {
  const files: string[] = [];
  let headerText = "";
  let inHeader = false;
  for await (const event of parseLatx(createReadStream(latx))) {
    if (event.type === "start") {
      inHeader = event.header;
      if (!event.header) files.push(checkPath(event.path));
    } else if (event.type === "data" && inHeader) headerText += event.chunk.toString("utf8");
  }
  const header = parseHeader(headerText);
  const seen = new Set<string>();
  const all = [...files, ...header.links.map((link) => checkPath(link.path))];
  for (const path of all) {
    if (seen.has(path)) throw invalid(`${path} appears twice`);
    seen.add(path);
  }
  for (const path of all) {
    for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) {
      if (seen.has(dir)) throw invalid(`${path} lies inside ${dir}, which is a file or a link`);
    }
  }
  const links = header.links.filter((link) => !escapes(link.path, link.target));
  const skippedLinks = header.links.filter((link) => escapes(link.path, link.target));
  return { files, executables: new Set(header.executables), links, skippedLinks };
}

/** A path must stay inside the destination and out of any `.git` directory. */
function checkPath(path: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw invalid(`absolute path ${JSON.stringify(path)}`);
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) throw invalid(`path ${JSON.stringify(path)} leaves the directory`);
  if (segments.some((s) => s.toLowerCase() === ".git")) throw invalid(`path ${JSON.stringify(path)} writes into .git`);
  if (path.includes("\0") || path.includes("\\")) throw invalid(`path ${JSON.stringify(path)} is not portable`);
  return path;
}

const escapes = (path: string, target: string): boolean => {
  if (target.startsWith("/")) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  return resolved === ".." || resolved.startsWith("../");
};

const invalid = (what: string) =>
  new GromptError("snapshot_invalid", `The .latx cannot be extracted safely: ${what}`, {
    hint: "Extract only .latx files written by `grompt snapshot`.",
  });

async function checkDestination(dest: string, plan: ExtractPlan, overwrite: boolean): Promise<void> {
  const existing: string[] = [];
  const parents = new Set<string>();
  for (const path of [...plan.files, ...plan.links.map((link) => link.path)]) {
    for (let dir = posix.dirname(path); dir !== "."; dir = posix.dirname(dir)) parents.add(dir);
    const found = await lstat(join(dest, path)).catch(() => undefined);
    if (found === undefined) continue;
    if (found.isDirectory()) throw invalid(`${path} would replace a directory in ${dest}`);
    existing.push(path);
  }
  for (const dir of parents) {
    const found = await lstat(join(dest, dir)).catch(() => undefined);
    if (found !== undefined && !found.isDirectory()) {
      throw invalid(`${dir} in ${dest} is ${found.isSymbolicLink() ? "a symbolic link" : "a file"}, not a directory`);
    }
  }
  if (existing.length > 0 && !overwrite) {
    const more = existing.length > 1 ? ` and ${existing.length - 1} more` : "";
    throw new GromptError("invalid_input", `${existing[0]}${more} already exist in ${dest}; nothing was written`, {
      hint: "Pass --overwrite to replace them, or extract into an empty directory.",
      details: { collisions: existing.slice(0, 50) },
    });
  }
}

async function applyExtraction(request: ExtractRequest, plan: ExtractPlan): Promise<ExtractResult> {
  const { dest } = request;
  await mkdir(dest, { recursive: true });
  let index = 0;
  let bytes = 0;
  let out: { path: string; temp: string; stream: WriteStream } | undefined;
  const close = async () => {
    if (out === undefined) return;
    out.stream.end();
    await once(out.stream, "close");
    await chmod(out.temp, plan.executables.has(out.path) ? 0o755 : 0o644);
    await rename(out.temp, join(dest, out.path));
    out = undefined;
  };
  try {
    for await (const event of parseLatx(createReadStream(request.latx))) {
      if (event.type === "start" && !event.header) {
        if (plan.files[index] !== event.path) throw invalid("the file changed while it was being extracted");
        index += 1;
        const target = join(dest, event.path);
        await mkdir(dirname(target), { recursive: true });
        const temp = join(dirname(target), `.${posix.basename(event.path)}.grompt-extract.tmp`);
        out = { path: event.path, temp, stream: createWriteStream(temp) };
      } else if (event.type === "data" && out !== undefined) {
        bytes += event.chunk.length;
        if (!out.stream.write(event.chunk)) await once(out.stream, "drain");
      } else if (event.type === "end") await close();
    }
  } catch (error) {
    if (out !== undefined) {
      out.stream.destroy();
      await rm(out.temp, { force: true });
    }
    throw error;
  }
  for (const link of plan.links) {
    const target = join(dest, link.path);
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true });
    await symlink(link.target, target);
  }
  return { files: plan.files.length, links: plan.links.length, bytes, skippedLinks: plan.skippedLinks };
}
