import type { JobState } from "../../core/domain/job";
import { type QueuePort, priorityFor } from "../../core/ports/queue-port";
import type { StorePort } from "../../core/ports/store-port";

const unfinished: JobState[] = ["queued", "snapshotting", "prompting", "diffing"];

/**
 * The store is the source of truth: every unfinished job must have a spool entry. A crash between
 * a job's commit and its enqueue, or a lost spool file, leaves one without; it is enqueued again.
 * Returns how many were.
 */
export async function reconcileQueue(deps: { store: StorePort; queue: QueuePort }): Promise<number> {
  let requeued = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listJobs({ states: unfinished, limit: 500, cursor });
    for (const job of page.jobs) {
      if (await deps.queue.has(job.id)) continue;
      await deps.queue.enqueue(job.id, { priority: priorityFor(job.promptPurpose) });
      requeued += 1;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return requeued;
}
