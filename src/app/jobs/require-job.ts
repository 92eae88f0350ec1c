import { GromptError } from "../../core/domain/errors";
import type { Job } from "../../core/domain/job";
import type { StorePort } from "../../core/ports/store-port";

/** The job, or `not_found` with a hint to list what exists. */
export async function requireJob(jobId: string, store: StorePort): Promise<Job> {
  const job = await store.getJob(jobId);
  if (job === undefined) {
    throw new GromptError("not_found", `No job has the id ${jobId}`, { hint: "List jobs with `grompt jobs list`." });
  }
  return job;
}
