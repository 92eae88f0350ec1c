import { GromptError } from "../../core/domain/errors";
import { type Job, type JobState, isTerminal } from "../../core/domain/job";
import type { JobEvent } from "../../core/domain/job-events";
import { pathFor } from "../../core/domain/job-state-machine";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { StorePort } from "../../core/ports/store-port";
import type { JobSignals } from "../jobs/job-signals";
import type { JobContext } from "./job-handler";

export interface JobContextDeps {
  store: StorePort;
  signals: JobSignals;
  logger: LoggerPort;
  signal: AbortSignal;
}

/** The context of one handler run, plus the state the runner last saw (kept current by `advance`). */
export interface TrackedJobContext extends JobContext {
  currentState(): JobState;
}

export function createJobContext(job: Job, deps: JobContextDeps): TrackedJobContext {
  const { store, signals, signal } = deps;
  const path = pathFor(job.promptPurpose);
  let state = job.state;
  const stopIfAborted = () => {
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new GromptError("interrupted", "The job was stopped.");
  };
  return {
    job: structuredClone(job),
    signal,
    logger: deps.logger,
    currentState: () => state,
    async advance(to) {
      stopIfAborted();
      if (to === "done" || to === "error" || !path.includes(to)) {
        throw new GromptError("invalid_transition", `A ${job.promptPurpose} handler cannot move its job to "${to}"`, {
          hint: `Handlers advance through ${path.slice(1, -1).join(", ")}; the runner sets done or error from the handler's outcome.`,
          details: { from: state, to },
        });
      }
      // A resumed job may already be at or past `to`: repeating the move is a no-op.
      if (path.indexOf(state) >= path.indexOf(to)) return;
      try {
        const moved = await store.transitionJob(job.id, { from: state, event: { type: "advance", to } });
        state = moved.job.state;
      } catch (error) {
        // Canceled or finished elsewhere meanwhile: remember the stored state so the runner stops.
        const stored = await store.getJob(job.id);
        if (stored !== undefined && isTerminal(stored.state)) state = stored.state;
        throw error;
      }
      signals.eventsAppended(job.id);
    },
    async emit(...events: JobEvent[]) {
      stopIfAborted();
      if (events.length === 0) return;
      const records = await store.appendEvents(job.id, events);
      signals.eventsAppended(job.id, records);
    },
    async record(totals, ...events) {
      stopIfAborted();
      await store.updateJob(job.id, { usage: totals.usage, costMicros: totals.costMicros }, events);
      signals.eventsAppended(job.id);
    },
  };
}
