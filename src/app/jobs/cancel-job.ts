import { GromptError, isGromptError } from "../../core/domain/errors";
import { type Job, isTerminal } from "../../core/domain/job";
import type { QueuePort } from "../../core/ports/queue-port";
import type { StorePort } from "../../core/ports/store-port";
import { requireJob } from "./require-job";
import type { JobSignals } from "./job-signals";

export interface CancelJobDeps {
  store: StorePort;
  queue: () => QueuePort;
  signals: JobSignals;
}

export interface CancelJobResult {
  job: Job;
  /** `canceled`: the job ended now; `requested`: its runner stops it at the next step. */
  outcome: "canceled" | "requested";
}

/**
 * A queued job ends at once in error/canceled and leaves the spool. A running job is flagged and
 * gets a `cancel-requested` event; its runner aborts it (at once in this process, at its next
 * heartbeat in another) and ends it in error/canceled.
 */
export async function cancelJob(jobId: string, options: { reason?: string }, deps: CancelJobDeps): Promise<CancelJobResult> {
  const job = await requireJob(jobId, deps.store);
  const reason = options.reason ?? "Canceled on request.";
  if (isTerminal(job.state)) {
    throw new GromptError("invalid_transition", `Job ${jobId} already ended in "${job.state}"; there is nothing to cancel`, {
      hint: `See how it ended with \`grompt jobs show ${jobId}\`.`,
      details: { from: job.state, to: "error" },
    });
  }
  if (job.state === "queued") {
    // Touch the spool first: if it is unusable, nothing has changed yet.
    await deps.queue().remove(jobId);
    try {
      const moved = await deps.store.transitionJob(jobId, { from: "queued", event: { type: "cancel", reason } });
      deps.signals.cancelRequested(jobId);
      deps.signals.eventsAppended(jobId);
      return { job: moved.job, outcome: "canceled" };
    } catch (error) {
      // A runner picked it up meanwhile: ask that runner to stop it, below.
      if (!isGromptError(error) || error.code !== "invalid_transition") throw error;
    }
  }
  try {
    const flagged = await deps.store.updateJob(jobId, { cancelRequested: true }, [{ type: "cancel-requested", reason }]);
    deps.signals.cancelRequested(jobId);
    deps.signals.eventsAppended(jobId);
    return { job: flagged, outcome: "requested" };
  } catch (error) {
    if (isGromptError(error) && error.code === "invalid_transition") {
      const ended = await requireJob(jobId, deps.store);
      throw new GromptError("invalid_transition", `Job ${jobId} ended in "${ended.state}" before it could be canceled`, {
        hint: `See how it ended with \`grompt jobs show ${jobId}\`.`,
      });
    }
    throw error;
  }
}
