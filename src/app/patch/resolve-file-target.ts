import { checkPatchPath } from "./check-patch-path";
import type { DiffPath, ParsedFilePatch } from "./parsed-diff";
import type { FileOperation } from "./patch-plan";
import type { PatchProblem } from "./patch-problem";

export interface FileTarget {
  operation: FileOperation;
  /** The file read (modify, delete, rename/copy source); undefined for a creation. */
  source?: string;
  /** The file written (modify, create, rename/copy target); undefined for a deletion. */
  target?: string;
  /** The path reports name this file by. */
  display: string;
}

export type ResolvedTarget = { ok: true; target: FileTarget } | { ok: false; problem: Pick<PatchProblem, "reason" | "message" | "path"> };

/** Whether a normalised relative path is an existing file (of the tree or of earlier diffs). */
export type FileExists = (path: string) => Promise<boolean>;

/**
 * Decides what a file patch does and to which paths: git's rename/copy headers first, then
 * `/dev/null` and the new/deleted file modes, then a plain edit. Models drop or mix the `a/` `b/`
 * prefixes, so each name is tried stripped, then as written; the existing file wins.
 */
export async function resolveFileTarget(patch: ParsedFilePatch, exists: FileExists): Promise<ResolvedTarget> {
  const from = patch.renameFrom ?? patch.copyFrom;
  const to = patch.renameTo ?? patch.copyTo;
  if (from !== undefined || to !== undefined) {
    const source = await pick([from ?? patch.oldPath], exists);
    if (!source.ok) return source;
    const target = checked(to ?? patch.newPath);
    if (!target.ok) return target;
    const operation = patch.renameFrom !== undefined || patch.renameTo !== undefined ? "rename" : "copy";
    return { ok: true, target: { operation, source: source.path, target: target.path, display: target.path } };
  }
  const creates = patch.isNew || patch.oldPath === null;
  const deletes = patch.isDeleted || patch.newPath === null;
  if (creates && deletes) {
    return { ok: false, problem: { reason: "malformed", message: "The file header names /dev/null on both sides." } };
  }
  if (creates) {
    const target = checked(patch.newPath);
    return target.ok ? { ok: true, target: { operation: "create", target: target.path, display: target.path } } : target;
  }
  if (deletes) {
    const source = await pick([patch.oldPath], exists);
    return source.ok ? { ok: true, target: { operation: "delete", source: source.path, display: source.path } } : source;
  }
  const names = sharedNames(patch.oldPath, patch.newPath);
  if (names.length === 0) {
    const message = `The old and new names differ ("${patch.oldPath?.raw}" vs "${patch.newPath?.raw}") without rename headers; use "rename from"/"rename to" to rename, or the same name on both lines to edit.`;
    return { ok: false, problem: { reason: "names-differ", message, path: patch.newPath?.stripped } };
  }
  const source = await pick(names.map((name) => ({ raw: name, stripped: name })), exists);
  return source.ok ? { ok: true, target: { operation: "modify", source: source.path, target: source.path, display: source.path } } : source;
}

type Checked = { ok: true; path: string } | { ok: false; problem: Pick<PatchProblem, "reason" | "message" | "path"> };

function checked(path: DiffPath | null | undefined): Checked {
  if (path === null || path === undefined) {
    return { ok: false, problem: { reason: "malformed", message: "A file header is missing its path." } };
  }
  const result = checkPatchPath(path.stripped);
  return result.ok ? result : { ok: false, problem: { ...result.problem, path: path.raw } };
}

/** The first candidate that exists; the first safe one when none does (its absence is reported later). */
async function pick(paths: readonly (DiffPath | null | undefined)[], exists: FileExists): Promise<Checked> {
  const candidates: string[] = [];
  for (const path of paths) {
    if (path === null || path === undefined) continue;
    for (const name of new Set([path.stripped, path.raw])) {
      const result = checkPatchPath(name);
      if (!result.ok) {
        // An unsafe spelling is refused outright when it is the primary one.
        if (name === path.stripped) return { ok: false, problem: { ...result.problem, path: path.raw } };
        continue;
      }
      candidates.push(result.path);
    }
  }
  if (candidates.length === 0) return checked(paths.find((p) => p !== undefined) ?? null);
  for (const candidate of candidates) if (await exists(candidate)) return { ok: true, path: candidate };
  return { ok: true, path: candidates[0] ?? "" };
}

/** Names both headers agree on, stripped first; `original/x` vs `modified/x` agree on `x`. */
function sharedNames(oldPath: DiffPath | null, newPath: DiffPath | null): string[] {
  if (oldPath === null || newPath === null) return [];
  const oldNames = [oldPath.stripped, oldPath.raw];
  const newNames = new Set([newPath.stripped, newPath.raw]);
  const shared = [...new Set(oldNames.filter((name) => newNames.has(name)))];
  if (shared.length > 0) return shared;
  const tail = (name: string): string => name.split("/").slice(1).join("/");
  const oldTail = tail(oldPath.raw);
  return oldTail !== "" && oldTail === tail(newPath.raw) ? [oldTail] : [];
}
