import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { GromptError } from "../../core/domain/errors";

export interface OutputFiles {
  final: { manifest: string; latx: string; zip: string };
  temp: { manifest: string; latx: string; latxBody: string; zip: string };
  /** Moves every output into place (each rename is atomic). */
  commit(): Promise<void>;
  /** Removes what was written, and the directory when this run created it. */
  discard(): Promise<void>;
}

/**
 * Outputs are written under temporary names in the output directory and renamed at the end, so a
 * failed run (a secret in block mode, a full disk, Ctrl-C) leaves nothing half-written.
 */
export async function prepareOutputs(outDir: string): Promise<OutputFiles> {
  let created: string | undefined;
  try {
    created = await makeDirectories(outDir);
    if (!(await stat(outDir)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(outDir, constants.W_OK);
  } catch (error) {
    throw new GromptError("io_error", `Cannot write the snapshot to ${outDir}: ${describeIoError(error)}`, {
      hint: "Pass --out with a directory you can write to.",
      cause: error,
    });
  }
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const final = { manifest: join(outDir, "manifest.json"), latx: join(outDir, "snapshot.latx"), zip: join(outDir, "snapshot.zip") };
  const temp = {
    manifest: join(outDir, `.manifest.json.${tag}.tmp`),
    latx: join(outDir, `.snapshot.latx.${tag}.tmp`),
    latxBody: join(outDir, `.snapshot.latx-body.${tag}.tmp`),
    zip: join(outDir, `.snapshot.zip.${tag}.tmp`),
  };
  return {
    final,
    temp,
    async commit() {
      await rename(temp.manifest, final.manifest);
      await rename(temp.latx, final.latx);
      await rename(temp.zip, final.zip);
    },
    async discard() {
      await Promise.all(Object.values(temp).map((file) => rm(file, { force: true })));
      if (created !== undefined) await rm(created, { recursive: true, force: true });
    },
  };
}

/**
 * `mkdir -p` that returns the first directory it created. Not `mkdir({ recursive: true })`: on
 * file systems such as /proc it loops forever instead of failing.
 */
async function makeDirectories(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = dir;
  while ((await stat(current).catch(() => undefined)) === undefined) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) await mkdir(path);
  return missing[0];
}

/** A short reason for a failed file operation, fit for a one-line error. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR" || code === "EEXIST") return "a file is in the way";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOSPC") return "no space left on the device";
  return (error as Error).message;
}
