import { GromptError } from "../../../core/domain/errors";

/**
 * Everything the spool needs to order and claim entries lives in their file names, so claiming
 * never reads a file and every state change is one atomic rename from a name the actor knows (a
 * concurrent actor that moved the file first makes the rename fail with ENOENT: it lost).
 *
 *   ready/    {priority:2}.{enqueued:16}.{attempts}.{jobId}              sorted: priority, then FIFO
 *   delayed/  {notBefore:13}.{priority:2}.{enqueued:16}.{attempts}.{jobId}
 *   leased/   {priority:2}.{enqueued:16}.{attempts}.{jobId}.{expires:13}.{leaseId}
 *   dead/     {priority:2}.{enqueued:16}.{attempts}.{jobId}
 */
export interface SpoolKey {
  priority: number;
  /** Microseconds since the epoch (with a per-process counter), so FIFO holds within a millisecond. */
  enqueuedUs: number;
  attempts: number;
  jobId: string;
}

const jobIdPattern = /^[A-Za-z0-9_-]{1,120}$/;
const pad = (value: number, width: number) => String(value).padStart(width, "0");

export function checkJobId(jobId: string): void {
  if (!jobIdPattern.test(jobId)) {
    throw new GromptError("invalid_input", `"${jobId}" cannot be queued: job ids are 1-120 letters, digits, "-" or "_"`, {
      hint: "Use the id grompt gave the job.",
    });
  }
}

export function checkPriority(priority: number): void {
  if (!Number.isInteger(priority) || priority < 0 || priority > 99) {
    throw new GromptError("invalid_input", `Queue priority ${priority} is out of range`, { hint: "Use a whole number from 0 (first) to 99." });
  }
}

export const readyName = (key: SpoolKey): string =>
  `${pad(key.priority, 2)}.${pad(key.enqueuedUs, 16)}.${key.attempts}.${key.jobId}`;

export const delayedName = (key: SpoolKey, notBeforeMs: number): string => `${pad(notBeforeMs, 13)}.${readyName(key)}`;

export const leasedName = (key: SpoolKey, expiresMs: number, leaseId: string): string =>
  `${readyName(key)}.${pad(expiresMs, 13)}.${leaseId}`;

const keyFrom = (parts: string[]): SpoolKey | undefined => {
  const [priority, enqueued, attempts, jobId] = parts;
  if (priority === undefined || enqueued === undefined || attempts === undefined || jobId === undefined) return undefined;
  const key = { priority: Number(priority), enqueuedUs: Number(enqueued), attempts: Number(attempts), jobId };
  return Number.isInteger(key.priority) && Number.isInteger(key.enqueuedUs) && Number.isInteger(key.attempts) && jobIdPattern.test(jobId)
    ? key
    : undefined;
};

/** Parses a ready/ or dead/ name; undefined for anything else (temp files, strays). */
export function parseReadyName(name: string): SpoolKey | undefined {
  const parts = name.split(".");
  return parts.length === 4 ? keyFrom(parts) : undefined;
}

export function parseDelayedName(name: string): { key: SpoolKey; notBeforeMs: number } | undefined {
  const parts = name.split(".");
  const key = parts.length === 5 ? keyFrom(parts.slice(1)) : undefined;
  const notBeforeMs = Number(parts[0]);
  return key === undefined || !Number.isInteger(notBeforeMs) ? undefined : { key, notBeforeMs };
}

export function parseLeasedName(name: string): { key: SpoolKey; expiresMs: number; leaseId: string } | undefined {
  const parts = name.split(".");
  const key = parts.length === 6 ? keyFrom(parts.slice(0, 4)) : undefined;
  const expiresMs = Number(parts[4]);
  const leaseId = parts[5];
  return key === undefined || !Number.isInteger(expiresMs) || leaseId === undefined ? undefined : { key, expiresMs, leaseId };
}
