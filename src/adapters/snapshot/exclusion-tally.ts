import type { ExcludedCount, ExclusionReason } from "../../core/ports/snapshot-port";

const MAX_EXAMPLES = 5;

export interface ExclusionTally {
  add(reason: ExclusionReason, path: string): void;
  /** Largest counts first; examples in byte order. */
  list(): ExcludedCount[];
}

export function createExclusionTally(): ExclusionTally {
  const counts = new Map<ExclusionReason, { count: number; examples: string[] }>();
  return {
    add(reason, path) {
      const entry = counts.get(reason) ?? { count: 0, examples: [] };
      entry.count += 1;
      if (entry.examples.length < MAX_EXAMPLES) entry.examples.push(path);
      counts.set(reason, entry);
    },
    list() {
      return [...counts.entries()]
        .map(([reason, { count, examples }]) => ({
          reason,
          count,
          examples: [...examples].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
        }))
        .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    },
  };
}
