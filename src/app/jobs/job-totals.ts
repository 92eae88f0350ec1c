import type { GenResult } from "../../core/ports/provider-port";
import type { JobTotals } from "../runner/job-handler";

/**
 * A job's usage and cost after one more provider call. A cached answer adds its tokens (they were
 * used) but costs nothing; one call with no known price makes the job's cost unknown (null).
 */
export function addCallToTotals(totals: JobTotals, call: Pick<GenResult, "usage" | "costMicros">): JobTotals {
  const next: JobTotals = {};
  const before = totals.usage;
  const usage = call.usage;
  if (before !== undefined || usage !== undefined) {
    const sum = {
      prompt: (before?.prompt ?? 0) + (usage?.prompt ?? 0),
      completion: (before?.completion ?? 0) + (usage?.completion ?? 0),
      total: (before?.total ?? 0) + (usage?.total ?? 0),
    };
    const cachedPrompt = (before?.cachedPrompt ?? 0) + (usage?.cachedPrompt ?? 0);
    next.usage = before?.cachedPrompt !== undefined || usage?.cachedPrompt !== undefined ? { ...sum, cachedPrompt } : sum;
  }
  const cost = call.costMicros === undefined ? null : call.costMicros;
  next.costMicros = totals.costMicros === null || cost === null ? null : (totals.costMicros ?? 0) + cost;
  return next;
}
