/**
 * Worker thread entry (built as dist/text-analysis-worker.js): decodes, pre-filters for secrets,
 * hashes and counts o200k_base tokens of file contents while the main thread reads and writes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createStageClock } from "../../adapters/snapshot/stage-clock";
import { analyzeText } from "./analyze-text";
import { createO200kCounter, forgetRankSource, loadO200kRanks } from "./count-o200k-tokens";
import type { RankTable } from "./o200k-bpe";

/** A batch of files: `content` holds them back to back, `lengths[k]` bytes each. */
type Request = { type: "analyze"; ids: number[]; prefilters: boolean[]; lengths: number[]; content: Uint8Array } | { type: "stages" };

const port = parentPort;
if (port === null) throw new Error("text-analysis-worker runs as a worker thread only");
const clock = createStageClock();
// The first worker builds the rank table and hands it (shared memory) to the pool for the others.
const shared = (workerData as { ranks?: RankTable } | undefined)?.ranks;
const ranks = shared ?? (await loadO200kRanks());
if (shared === undefined) {
  port.postMessage({ type: "ranks", ranks });
  forgetRankSource();
}
const count = await createO200kCounter(ranks);
port.on("message", (message: Request) => {
  if (message.type === "stages") {
    // The last message: closing the port lets the thread end on its own (and flush a --cpu-prof).
    port.postMessage({ type: "stages", stages: clock.totals() });
    port.close();
  } else {
    let offset = 0;
    const facts = message.lengths.map((length, k) => {
      const file = message.content.subarray(offset, (offset += length));
      return analyzeText(file, message.prefilters[k] === true, count, clock);
    });
    port.postMessage({ type: "facts", ids: message.ids, facts });
  }
});
