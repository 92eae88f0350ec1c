/**
 * Worker thread entry (built as dist/text-analysis-worker.js): decodes, pre-filters for secrets,
 * hashes and counts o200k_base tokens of file contents while the main thread reads and writes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createStageClock } from "../../adapters/snapshot/stage-clock";
import { analyzeText } from "./analyze-text";
import { createO200kCounter, loadO200kRanks } from "./count-o200k-tokens";
import type { RankTable } from "./o200k-bpe";

type Request = { type: "analyze"; id: number; content: Uint8Array; prefilter: boolean } | { type: "stages" };

const port = parentPort;
if (port === null) throw new Error("text-analysis-worker runs as a worker thread only");
const clock = createStageClock();
// The first worker builds the rank table and hands it (shared memory) to the pool for the others.
const shared = (workerData as { ranks?: RankTable } | undefined)?.ranks;
const ranks = shared ?? (await loadO200kRanks());
if (shared === undefined) port.postMessage({ type: "ranks", ranks });
const count = await createO200kCounter(ranks);
port.on("message", (message: Request) => {
  if (message.type === "stages") {
    // The last message: closing the port lets the thread end on its own (and flush a --cpu-prof).
    port.postMessage({ type: "stages", stages: clock.totals() });
    port.close();
  } else port.postMessage({ type: "facts", id: message.id, facts: analyzeText(message.content, message.prefilter, count, clock) });
});
