import type { JobUseCases } from "../app/jobs/job-use-cases";

/**
 * While a job runs in this process, Ctrl-C cancels it (its runner stops the model call and the
 * checks and cleans up) after `onFirst` (stop a spinner); a second Ctrl-C leaves at once (130).
 * Returns the function that stops listening.
 */
export function cancelJobOnCtrlC(jobs: Pick<JobUseCases, "cancel">, jobId: string, onFirst: () => void): () => void {
  let interrupts = 0;
  const interrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    onFirst();
    void jobs.cancel(jobId, { reason: "interrupted (Ctrl-C)" }).catch(() => undefined);
  };
  process.on("SIGINT", interrupt);
  return () => process.removeListener("SIGINT", interrupt);
}
