import { createHash, randomBytes, randomFillSync } from "node:crypto";
import { accessSync, constants, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { GromptError, isGromptError } from "../../../core/domain/errors";

export const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;
export const isMissing = (error: unknown): boolean => errno(error) === "ENOENT";
export const isTaken = (error: unknown): boolean => errno(error) === "EEXIST";

/** Turns a file-system failure inside the spool into `queue_unavailable` with a hint. */
export function toQueueError(error: unknown, dir: string): GromptError {
  if (isGromptError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GromptError("queue_unavailable", `The job queue at ${dir} cannot be used: ${message}`, {
    hint: "Make that directory writable (and not a file), free some disk space, or set GROMPT_HOME to a writable directory.",
    cause: error,
  });
}

/** Wraps a queue operation so any file-system failure surfaces as `queue_unavailable`. */
export const queueErrorGuard =
  (dir: string) =>
  <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await work(...args);
    } catch (error) {
      throw toQueueError(error, dir);
    }
  };

export const leaseLost = (jobId: string): GromptError =>
  new GromptError("lease_lost", `The lease on job ${jobId} expired and was taken over or returned to the queue`, {
    hint: "Another worker owns the job now; nothing is lost.",
  });

/** Short tag of this machine, so a worker can tell which leases belong to processes it can see. */
export const hostTag = createHash("sha1").update(hostname()).digest("hex").slice(0, 8);

/**
 * 8 random hex digits, from a pool refilled 1,024 draws at a time: every enqueue and claim draws
 * one, and a crypto call per draw cost more than the rest of the name-making.
 */
export const randomTag = (() => {
  const pool = Buffer.alloc(4096);
  let offset = pool.length;
  return (): string => {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    offset += 4;
    return pool.toString("hex", offset - 4, offset);
  };
})();

/** `{host}-{pid}-{random}`: unique per claim, and says which process holds it. */
export const newOwnerTag = (): string => `${hostTag}-${process.pid}-${randomTag()}`;

/** True when the owner tag names a process on this machine that no longer exists. */
export function ownerIsGone(ownerTag: string): boolean {
  const [host, pidText] = ownerTag.split("-");
  const pid = Number(pidText);
  if (host !== hostTag || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errno(error) === "ESRCH";
  }
}

/** Notes the failure reason inside the entry (informational: names carry everything else). */
export async function recordError(file: string, jobId: string, reason: string): Promise<void> {
  const handle = await open(file, "r+").catch((error: unknown) => Promise.reject(isMissing(error) ? leaseLost(jobId) : error));
  try {
    await handle.truncate(0);
    await handle.write(JSON.stringify({ jobId, lastError: reason.slice(0, 2_000) }), 0);
  } finally {
    await handle.close();
  }
}

/** Creates the spool directories and proves they are writable, before anything is written. */
export function prepareSpool(dir: string, places: readonly string[]): void {
  try {
    for (const place of places) mkdirSync(join(dir, place), { recursive: true });
    for (const place of places) accessSync(join(dir, place), constants.W_OK);
    const probe = join(dir, "tmp", `.probe-${process.pid}-${randomBytes(3).toString("hex")}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (error) {
    throw toQueueError(error, dir);
  }
}
