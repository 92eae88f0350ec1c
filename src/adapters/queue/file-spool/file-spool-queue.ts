import { linkSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { GromptError } from "../../../core/domain/errors";
import type { QueueLease, QueuePort } from "../../../core/ports/queue-port";
import { createReadyListing } from "./ready-listing";
import { createBatchEnqueue } from "./enqueue-batch";
import { recoverTemps } from "./recover-temps";
import { leaseOf } from "./spool-entries";
import { isMissing, isTaken, leaseLost, newOwnerTag, ownerIsGone, prepareSpool, randomTag, recordError, queueErrorGuard } from "./spool-fs";
import {
  type SpoolKey,
  checkJobId,
  checkPriority,
  delayedName,
  leasedName,
  parseDelayedName,
  parseLeasedName,
  parseReadyName,
  readyName,
} from "./spool-names";

export interface FileSpoolOptions {
  /** The spool root, `$GROMPT_HOME/queue`. */
  dir: string;
  /** Failed attempts after which an entry goes to the dead letter (`queue.maxAttempts`). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  clock?: () => number;
}

const places = ["tmp", "ready", "delayed", "leased", "dead", "index"] as const;
type Place = (typeof places)[number];
/** How long a listing of ready/ is reused between claims (see ready-listing.ts). */
const readyListingMs = 100;

/**
 * A durable queue in plain directories, safe across processes sharing one home. Each job has one
 * entry file; `index/<jobId>` is a hard link to it, so "is this job queued?" is one stat and
 * enqueueing a job twice is refused atomically by `link`. See spool-names.ts for the layout.
 *
 * The per-job steps (enqueue, claim, complete, heartbeat, release) are a few metadata system calls
 * on tiny files and run synchronously: each costs microseconds, while a round trip through libuv's
 * thread pool costs more than the call itself and wakes a thread per step. Directory listings,
 * which grow with the backlog, stay asynchronous.
 */
export function createFileSpoolQueue(options: FileSpoolOptions): QueuePort {
  const { dir, maxAttempts } = options;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const now = options.clock ?? Date.now;
  const path = (place: Place, name: string) => join(dir, place, name);
  prepareSpool(dir, places);

  let lastStamp = 0;
  // Strictly increasing within the process, so FIFO holds for entries enqueued in the same millisecond.
  const stamp = () => (lastStamp = Math.max(lastStamp + 1, now() * 1000));
  const list = async (place: Place) => (await readdir(join(dir, place))).sort();
  const ready = createReadyListing({ list: () => list("ready"), beforeListing: () => promoteDue(), maxAgeMs: readyListingMs });
  const parseLease = (lease: QueueLease) => {
    const parsed = parseLeasedName(lease.leaseId);
    if (parsed === undefined) throw leaseLost(lease.entry.jobId);
    return parsed;
  };
  /** Renames or reports the lease lost when the file moved away first. */
  const moveLeased = (lease: QueueLease, to: string) => {
    try {
      renameSync(path("leased", lease.leaseId), to);
    } catch (error) {
      throw isMissing(error) ? leaseLost(lease.entry.jobId) : error;
    }
  };
  /** Drops the index link, but only if it still points at this entry (a re-enqueue may own it now). */
  const dropIndex = (jobId: string, ino: number) => {
    const index = statSync(path("index", jobId), { throwIfNoEntry: false });
    if (index?.ino !== ino) return;
    try {
      unlinkSync(path("index", jobId));
    } catch {
      // Gone already: nothing to drop.
    }
  };
  /** Is the job's entry somewhere live (ready, delayed or leased)? Clears indexes left by crashes. */
  const liveIndex = async (jobId: string): Promise<boolean> => {
    const index = await stat(path("index", jobId)).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    if (index === undefined) return false;
    const dead = (await list("dead")).some((name) => parseReadyName(name)?.jobId === jobId);
    if (index.nlink >= 2 && !dead) return true;
    dropIndex(jobId, index.ino);
    return false;
  };
  /** Links the job's index to its new entry; false when the job already has a live entry. */
  const linkIndex = async (temp: string, jobId: string): Promise<boolean> => {
    for (let tries = 0; tries < 2; tries += 1) {
      try {
        linkSync(temp, path("index", jobId));
        return true;
      } catch (error) {
        if (!isTaken(error)) throw error;
        if (tries > 0 || (await liveIndex(jobId))) return false;
      }
    }
    return false;
  };
  const promoteDue = async () => {
    for (const name of await list("delayed")) {
      const parsed = parseDelayedName(name);
      if (parsed === undefined || parsed.notBeforeMs > now()) continue;
      try {
        renameSync(path("delayed", name), path("ready", readyName(parsed.key)));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
  };
  const guard = queueErrorGuard(dir);

  const enqueue: QueuePort["enqueue"] = guard(async (jobId, { priority, notBefore }) => {
      checkJobId(jobId);
      checkPriority(priority);
      const key: SpoolKey = { priority, enqueuedUs: stamp(), attempts: 0, jobId };
      const notBeforeMs = notBefore === undefined ? undefined : Date.parse(notBefore);
      if (notBeforeMs !== undefined && Number.isNaN(notBeforeMs)) {
        throw new GromptError("invalid_input", `"${notBefore}" is not a valid notBefore instant`, { hint: "Use an ISO 8601 date-time." });
      }
      const delayed = notBeforeMs !== undefined && notBeforeMs > now();
      const name = delayed ? delayedName(key, notBeforeMs) : readyName(key);
      const temp = path("tmp", `${name}.${randomTag()}`);
      // Empty: the name says everything (a failure reason is written into it later, for people).
      writeFileSync(temp, "", { flag: "wx" });
      try {
        if (await linkIndex(temp, jobId)) {
          renameSync(temp, path(delayed ? "delayed" : "ready", name));
          if (!delayed) ready.note(name);
          return;
        }
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      unlinkSync(temp);
    });

  return {
    enqueue,

    enqueueMany: createBatchEnqueue({ dir, stamp, enqueue, noteReady: (name) => ready.note(name) }),

    claim: guard(async (workerId, leaseMs) => {
      // A reused listing that runs dry is listed again once, so nothing ready is missed.
      for (let pass = 0; pass < 2; pass += 1) {
        const listing = await ready.candidates();
        const reused = pass === 0 && listing.next > 0;
        while (listing.next < listing.names.length) {
          const name = listing.names[listing.next] as string;
          listing.next += 1;
          const key = parseReadyName(name);
          if (key === undefined) continue;
          const expiresMs = now() + leaseMs;
          const owner = newOwnerTag();
          try {
            renameSync(path("ready", name), path("leased", leasedName(key, expiresMs, owner)));
          } catch (error) {
            if (isMissing(error)) continue; // another worker claimed it first
            throw error;
          }
          return leaseOf(key, expiresMs, owner, workerId);
        }
        ready.forget();
        if (!reused) return undefined;
      }
      return undefined;
    }),

    heartbeat: guard(async (lease, leaseMs) => {
      const { key, leaseId: owner } = parseLease(lease);
      const expiresMs = now() + leaseMs;
      const renewed = leaseOf(key, expiresMs, owner, lease.workerId);
      moveLeased(lease, path("leased", renewed.leaseId));
      return renewed;
    }),

    complete: guard(async (lease) => {
      const { key } = parseLease(lease);
      let ino: number;
      try {
        ino = statSync(path("leased", lease.leaseId)).ino;
        unlinkSync(path("leased", lease.leaseId));
      } catch (error) {
        throw isMissing(error) ? leaseLost(key.jobId) : error;
      }
      dropIndex(key.jobId, ino);
    }),

    release: guard(async (lease) => {
      const { key } = parseLease(lease);
      moveLeased(lease, path("ready", readyName(key)));
      ready.note(readyName(key));
    }),

    fail: guard(async (lease, reason) => {
      const { key } = parseLease(lease);
      const next: SpoolKey = { ...key, attempts: key.attempts + 1 };
      await recordError(path("leased", lease.leaseId), key.jobId, reason);
      if (next.attempts >= maxAttempts) {
        const entry = statSync(path("leased", lease.leaseId), { throwIfNoEntry: false });
        moveLeased(lease, path("dead", readyName(next)));
        if (entry !== undefined) dropIndex(key.jobId, entry.ino);
        return "dead";
      }
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** key.attempts);
      moveLeased(lease, path("delayed", delayedName(next, now() + delay)));
      return "retry";
    }),

    reclaimExpired: guard(async () => {
      let reclaimed = 0;
      for (const name of await list("leased")) {
        const parsed = parseLeasedName(name);
        if (parsed === undefined || (parsed.expiresMs > now() && !ownerIsGone(parsed.leaseId))) continue;
        try {
          renameSync(path("leased", name), path("ready", readyName(parsed.key)));
          ready.note(readyName(parsed.key));
          reclaimed += 1;
        } catch (error) {
          if (!isMissing(error)) throw error; // its owner renewed or finished it meanwhile
        }
      }
      await recoverTemps({ dir, now, list });
      return reclaimed;
    }),

    has: guard(async (jobId) => {
      checkJobId(jobId);
      return liveIndex(jobId);
    }),

    remove: guard(async (jobId) => {
      checkJobId(jobId);
      const waiting = [
        ...(await list("ready")).filter((name) => parseReadyName(name)?.jobId === jobId).map((name) => path("ready", name)),
        ...(await list("delayed")).filter((name) => parseDelayedName(name)?.key.jobId === jobId).map((name) => path("delayed", name)),
      ];
      for (const file of waiting) {
        const entry = await stat(file).catch(() => undefined);
        try {
          await unlink(file);
        } catch (error) {
          if (isMissing(error)) continue; // claimed meanwhile: its worker will see the job's state
          throw error;
        }
        if (entry !== undefined) dropIndex(jobId, entry.ino);
        return true;
      }
      return false;
    }),

    stats: guard(async () => {
      const count = async (place: Place) => (await list(place)).filter((n) => !n.startsWith(".")).length;
      return { ready: await count("ready"), delayed: await count("delayed"), leased: await count("leased"), dead: await count("dead") };
    }),
  };

}
