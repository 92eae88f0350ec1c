import type { FinishedJobSample, PersistedMetrics, PersistedMetricsSource } from "../../core/ports/metering-port";
import type { StorePort } from "../../core/ports/store-port";
import { cacheHitsCounter, cacheMissesCounter, parseRetriesCounter } from "./counter-names";

const pageSize = 2_000;
/** A home with a long history catches up over a few scrapes instead of stalling one. */
const maxPagesPerRead = 10;

/**
 * What `/metrics` reads from the store at each scrape: usage totals from the ledger, cache and retry
 * counters, and the jobs finished since the previous scrape (a cursor on `finished_at`, which
 * finishing commits advance in order). Everything any process sharing the home did counts once.
 */
export function createStoreMetricsSource(store: StorePort): PersistedMetricsSource {
  const counters = store.readCounters?.bind(store);
  const totals = store.usageTotals?.bind(store);
  const finished = store.finishedJobsSince?.bind(store);
  let since: string | undefined;
  let seenAtSince: string[] = [];

  const readFinished = async (read: NonNullable<typeof finished>): Promise<FinishedJobSample[]> => {
    const samples: FinishedJobSample[] = [];
    for (let page = 0; page < maxPagesPerRead; page += 1) {
      const rows = await read(since, seenAtSince, pageSize);
      for (const { id, finishedAt, ...sample } of rows) {
        samples.push(sample);
        if (finishedAt === since) seenAtSince.push(id);
        else {
          since = finishedAt;
          seenAtSince = [id];
        }
      }
      if (rows.length < pageSize) break;
    }
    return samples;
  };

  return {
    covers: { usage: totals !== undefined, cache: counters !== undefined, retries: counters !== undefined, jobs: finished !== undefined },
    async read() {
      const snapshot: PersistedMetrics = {};
      const [named, usage, jobs] = await Promise.all([counters?.(), totals?.(), finished === undefined ? undefined : readFinished(finished)]);
      if (usage !== undefined) snapshot.usage = usage;
      if (jobs !== undefined) snapshot.newlyFinishedJobs = jobs;
      if (named !== undefined) {
        snapshot.cache = { hits: named[cacheHitsCounter] ?? 0, misses: named[cacheMissesCounter] ?? 0 };
        snapshot.retries = Object.entries(named).flatMap(([name, count]) => {
          const labels = parseRetriesCounter(name);
          return labels === undefined ? [] : [{ ...labels, count }];
        });
      }
      return snapshot;
    },
  };
}
