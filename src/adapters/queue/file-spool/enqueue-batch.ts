import type { QueuePort } from "../../../core/ports/queue-port";
import { type SpoolBatch, type SpoolWriter, createSpoolWriter } from "./spool-writer";
import { type SpoolKey, checkJobId, checkPriority, readyName } from "./spool-names";
import { randomTag } from "./spool-fs";

interface BatchDeps {
  dir: string;
  /** The next strictly increasing enqueue stamp (µs). */
  stamp: () => number;
  /** The one-at-a-time enqueue: the fallback for an entry the writer could not place. */
  enqueue: QueuePort["enqueue"];
  /** Tells the ready listing about a new entry. */
  noteReady: (name: string) => void;
}

/**
 * Enqueues many ready entries with the same file steps as `enqueue`, done on the spool writer's
 * worker thread so the caller's thread only hands over names; one outcome per entry, in order.
 */
export function createBatchEnqueue(deps: BatchDeps): NonNullable<QueuePort["enqueueMany"]> {
  let writer: SpoolWriter | undefined;
  return async (entries) => {
    const outcomes: (Error | undefined)[] = entries.map(() => undefined);
    const batch: SpoolBatch["entries"] = [];
    const positions: number[] = [];
    entries.forEach(({ jobId, priority }, position) => {
      try {
        checkJobId(jobId);
        checkPriority(priority);
      } catch (error) {
        outcomes[position] = error as Error;
        return;
      }
      const key: SpoolKey = { priority, enqueuedUs: deps.stamp(), attempts: 0, jobId };
      const name = readyName(key);
      batch.push([jobId, "ready", name, `${name}.${randomTag()}`]);
      positions.push(position);
    });
    const failed = await (writer ??= createSpoolWriter()).write(deps.dir, batch);
    const redo = new Set(failed.map(([index]) => index));
    batch.forEach(([, , name], index) => {
      if (!redo.has(index)) deps.noteReady(name);
    });
    // The index was taken (the job is queued already, or a crash left its link) or a call failed:
    // the one-at-a-time path sorts that out, or reports the failure as a queue error.
    for (const index of redo) {
      const position = positions[index] as number;
      const entry = entries[position] as { jobId: string; priority: number };
      outcomes[position] = await deps.enqueue(entry.jobId, { priority: entry.priority }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    }
    return outcomes;
  };
}
