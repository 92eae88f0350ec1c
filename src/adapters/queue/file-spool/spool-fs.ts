import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
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

export const leaseLost = (jobId: string): GromptError =>
  new GromptError("lease_lost", `The lease on job ${jobId} expired and was taken over or returned to the queue`, {
    hint: "Another worker owns the job now; nothing is lost.",
  });

/** Short tag of this machine, so a worker can tell which leases belong to processes it can see. */
export const hostTag = createHash("sha1").update(hostname()).digest("hex").slice(0, 8);

/** `{host}-{pid}-{random}`: unique per claim, and says which process holds it. */
export const newOwnerTag = (): string => `${hostTag}-${process.pid}-${randomBytes(4).toString("hex")}`;

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
