import type { Job } from "../../core/domain/job";
import { formatCost, formatUsage } from "./provider-format";

/** One line after a craft job: which job, who answered, tokens, cost, time. */
export function craftSummaryLine(job: Job, providerName: string): string {
  const who = providerName === job.provider ? `${job.provider}:${job.model}` : `${providerName} (${job.provider}:${job.model})`;
  const cached = job.result?.cached === true;
  const latency = typeof job.result?.latencyMs === "number" ? `${job.result.latencyMs} ms` : undefined;
  return [`job ${job.id}`, who, formatUsage(job.usage), cached ? "cached, $0" : formatCost(job.costMicros), latency].filter((part) => part !== undefined).join(" · ");
}
