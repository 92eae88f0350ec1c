import type { Container } from "../app/container";
import { type ErrorCode, GromptError, isErrorCode } from "../core/domain/errors";
import type { Job } from "../core/domain/job";
import type { JobEventRecord } from "../core/domain/job-events";

export interface RunJobHereOptions {
  /** Every event of the job, in order, as it is stored. */
  onEvent?: (record: JobEventRecord) => void;
}

/**
 * Runs a queued job in this process: a runner with every registered handler serves the shared home
 * (it may also pick up other queued jobs), the job's events are followed until its final one, and
 * the runner then stops, handing any other job it holds back to the queue. Resolves with the ended
 * job; a failed job becomes its GromptError (canceled → exit 130, provider errors → exit 3, ...).
 */
export async function runJobHere(container: Container, jobId: string, options: RunJobHereOptions = {}): Promise<Job> {
  const jobs = await container.jobs();
  const runner = await container.runner({ handlers: await container.jobHandlers() });
  await runner.start();
  try {
    for await (const record of jobs.follow(jobId)) options.onEvent?.(record);
  } finally {
    await runner.stop();
  }
  const job = await jobs.get(jobId);
  if (job.state === "error") {
    const failure = job.error ?? { code: "job_failed", message: "The job ended in error." };
    const code: ErrorCode = isErrorCode(failure.code) ? failure.code : "job_failed";
    const see = `See what happened: grompt jobs logs ${job.id}`;
    throw new GromptError(code, failure.message, { hint: failure.hint === undefined ? see : `${failure.hint} ${see}` });
  }
  return job;
}
