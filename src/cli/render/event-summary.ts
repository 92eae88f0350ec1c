import type { JobEvent } from "../../core/domain/job-events";
import { clip } from "./format";

/** One human line saying what an event means. */
export function summarizeEvent(event: JobEvent): string {
  switch (event.type) {
    case "job-created":
      return `${event.job.promptPurpose} job for ${event.job.provider}:${event.job.model}`;
    case "state-changed":
      return `${event.from} → ${event.to}`;
    case "job-resumed":
      return `attempt ${event.attempt} from ${event.state} (${event.reason})`;
    case "job-released":
    case "patch-rejected":
    case "repair-round-started":
      return event.reason;
    case "cancel-requested":
      return event.reason ?? "";
    case "job-progressed":
      return `${event.step}: ${event.message}`;
    case "provider-call-started":
      return `${event.provider}:${event.model} (${event.purpose}) call ${event.callId}`;
    case "provider-chunk":
      return JSON.stringify(clip(event.text, 80));
    case "provider-retried":
      return `attempt ${event.attempt} after ${event.code} in ${event.delayMs} ms`;
    case "provider-call-finished":
      return `${event.usage?.total ?? "?"} tokens in ${event.latencyMs} ms${event.cached ? " (cached)" : ""}`;
    case "snapshot-taken":
      return `${event.files} files, ${event.bytes} bytes`;
    case "patch-applied":
      return `round ${event.round}: ${event.hunks} hunks in ${event.files.length} files`;
    case "check-started":
      return `round ${event.round}: ${event.name} (${event.command})`;
    case "check-finished":
      return `round ${event.round}: ${event.name} ${event.status} in ${event.durationMs} ms`;
    case "artifact-stored":
      return `${event.name} (${event.kind}, ${event.bytes} bytes)`;
    case "job-completed":
      return clip(JSON.stringify(event.result), 120);
    case "job-failed":
      return `[${event.error.code}] ${event.error.message}`;
    default:
      return clip(JSON.stringify(event), 120);
  }
}
