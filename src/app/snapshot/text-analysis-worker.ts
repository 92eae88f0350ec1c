/**
 * Worker thread entry (built as dist/text-analysis-worker.js): hashes, pre-filters for secrets
 * and counts o200k_base tokens of file contents while the main thread reads and writes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createStageClock } from "../../adapters/snapshot/stage-clock";
import type { TokenCountTable } from "../../adapters/snapshot/token-count-table";
import { UNCOUNTED, analyzeText, countText } from "./analyze-text";
import { type TokenCounter, createO200kCounter, forgetRankSource, loadO200kRanks } from "./count-o200k-tokens";
import type { RankTable } from "./o200k-rank-table";

/** A batch of files: `content` holds them back to back, `lengths[k]` bytes each. */
type Request = { type: "analyze"; ids: number[]; prefilters: boolean[]; lengths: number[]; content: Uint8Array } | { type: "stages" };

/** `ranks`: another worker's table, shared; `eager`: build the table at once, not at the first unknown count. */
interface Setup {
  ranks?: RankTable;
  known: TokenCountTable;
  eager: boolean;
}

const port = parentPort;
if (port === null) throw new Error("text-analysis-worker runs as a worker thread only");
const clock = createStageClock();
const { ranks: shared, known, eager } = workerData as Setup;
let counter: Promise<TokenCounter> | undefined;
// Only a worker that builds the rank table hands it (shared memory) to the pool for the others.
const loadCounter = () =>
  (counter ??= (async () => {
    if (shared !== undefined) return createO200kCounter(shared);
    const ranks = await loadO200kRanks();
    port.postMessage({ type: "ranks", ranks });
    forgetRankSource();
    return createO200kCounter(ranks);
  })());
let count = eager || shared !== undefined ? await loadCounter() : undefined;

port.on("message", async (message: Request) => {
  if (message.type === "stages") {
    // The last message: closing the port lets the thread end on its own (and flush a --cpu-prof).
    port.postMessage({ type: "stages", stages: clock.totals() });
    port.close();
    return;
  }
  let offset = 0;
  const files = message.lengths.map((length) => message.content.subarray(offset, (offset += length)));
  const facts = files.map((file, k) => analyzeText(file, message.prefilters[k] === true, { count, known }, clock));
  // A count the cache did not know, before the counter was needed: load it now (once).
  if (facts.some((fact) => fact.tokens === UNCOUNTED)) {
    count ??= await loadCounter();
    facts.forEach((fact, k) => {
      if (fact.tokens === UNCOUNTED) fact.tokens = countText(files[k] as Uint8Array, count as TokenCounter, clock);
    });
  }
  port.postMessage({ type: "facts", ids: message.ids, facts });
});
