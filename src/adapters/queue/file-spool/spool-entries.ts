import type { QueueEntry, QueueLease } from "../../../core/ports/queue-port";
import { type SpoolKey, leasedName } from "./spool-names";

/** The queue entry a spool file name describes. */
const entryOf = (key: SpoolKey, extra: { notBefore?: number } = {}): QueueEntry => ({
  jobId: key.jobId,
  priority: key.priority,
  enqueuedAt: new Date(Math.floor(key.enqueuedUs / 1000)).toISOString(),
  attempts: key.attempts,
  ...(extra.notBefore === undefined ? {} : { notBefore: new Date(extra.notBefore).toISOString() }),
});

/** The lease a worker holds on a claimed entry; its id is the entry's file name in leased/. */
export const leaseOf = (key: SpoolKey, expiresMs: number, owner: string, workerId: string): QueueLease => ({
  entry: entryOf(key),
  workerId,
  leaseId: leasedName(key, expiresMs, owner),
  expiresAt: new Date(expiresMs).toISOString(),
});
