/**
 * Time spent per stage of a snapshot, for `grompt snapshot --timings` and the benchmark. A lap
 * costs one `performance.now()`, so it stays on for every run.
 */
export interface StageClock {
  /** Adds the time since `since` to `stage`; returns now, the start of the next lap. */
  lap(stage: string, since: number): number;
  /** Milliseconds per stage, in the order stages first appeared. */
  totals(): Record<string, number>;
}

export function createStageClock(): StageClock {
  const totals: Record<string, number> = {};
  return {
    lap(stage, since) {
      const now = performance.now();
      totals[stage] = (totals[stage] ?? 0) + (now - since);
      return now;
    },
    totals: () => ({ ...totals }),
  };
}

/** Sums per-stage totals (the workers' clocks into one). */
export function sumStageTotals(all: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const totals of all) for (const [stage, ms] of Object.entries(totals)) sum[stage] = (sum[stage] ?? 0) + ms;
  return sum;
}
