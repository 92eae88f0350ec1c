import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { StageClock } from "../../adapters/snapshot/stage-clock";
import type { TextAnalysis, TextFacts } from "../../adapters/snapshot/take-snapshot-deps";
import { type TokenCountTable, emptyTokenCountTable } from "../../adapters/snapshot/token-count-table";
import { UNCOUNTED, analyzeText, countText } from "./analyze-text";
import { loadO200kCounter } from "./count-o200k-tokens";
import type { RankTable } from "./o200k-rank-table";
import { workerScript } from "../../adapters/workers/worker-script";

export interface TextAnalysisOptions {
  /** Worker threads; default: one per core (at most 4), none for small trees. */
  workers?: number;
  /** Token counts cached from earlier snapshots, by content digest. */
  known?: TokenCountTable;
}

/** Below this much text a worker costs more to start than it saves. */
const WORKER_THRESHOLD_BYTES = 4 * 1024 * 1024;
/** Files go to a worker in batches: one message per file cost more than the hashing. */
const BATCH_BYTES = 256 * 1024;
const BATCH_FILES = 64;
/** How long close() waits for a worker's stage times before giving up on them. */
const STAGES_TIMEOUT_MS = 5000;

/**
 * The per-file CPU work of a snapshot (sha256, decode, secret pre-filter, token count). For large
 * trees it runs on worker threads, one per core: the main thread keeps only reading, checking
 * and writing, so on two cores both stay busy. Contents go in batches, copied into one buffer
 * that is moved (not cloned) to the worker; the main thread keeps its own bytes, so a worker that
 * fails to start or dies loses nothing: its files are analysed on the main thread.
 * `known` holds counts cached from earlier snapshots: a file whose digest it holds is not counted
 * again, and when it holds anything the tokenizer is loaded only at the first count it lacks
 * (a repeated snapshot of an unchanged tree never loads it).
 */
export async function openTextAnalysis(expectedBytes: number, clock: StageClock, options: TextAnalysisOptions = {}): Promise<TextAnalysis> {
  const known = options.known ?? emptyTokenCountTable();
  const workers = options.workers ?? (expectedBytes < WORKER_THRESHOLD_BYTES ? 0 : Math.min(4, availableParallelism()));
  if (workers === 0) {
    let count = known.count === 0 ? await loadO200kCounter() : undefined;
    return {
      async analyze(content, prefilter) {
        const facts = analyzeText(content, prefilter, { count, known }, clock);
        if (facts.tokens !== UNCOUNTED) return facts;
        count ??= await loadO200kCounter();
        return { ...facts, tokens: countText(content, count, clock) };
      },
      close: async () => [],
    };
  }
  return createWorkerPool(workers, clock, known);
}

interface Job {
  content: Buffer;
  prefilter: boolean;
  worker: number;
  resolve: (facts: TextFacts) => void;
}

interface Batch {
  ids: number[];
  prefilters: boolean[];
  parts: Buffer[];
  bytes: number;
}

type Reply =
  | { type: "facts"; ids: number[]; facts: TextFacts[] }
  | { type: "ranks"; ranks: RankTable }
  | { type: "stages"; stages: Record<string, number> };

function createWorkerPool(size: number, clock: StageClock, known: TokenCountTable): TextAnalysis {
  const { script, options } = workerScript("text-analysis-worker", import.meta.url);
  const jobs = new Map<number, Job>();
  const inFlight = new Array<number>(size).fill(0);
  const alive = new Array<boolean>(size).fill(false);
  const stageReplies = new Map<number, (stages: Record<string, number>) => void>();
  const batches = new Array<Batch | undefined>(size).fill(undefined);
  let flushScheduled = false;
  let nextId = 0;
  let closing = false;

  // Work of a failed worker is done here instead (the ranks load only then).
  const analyzeHere = async (job: Job) => job.resolve(analyzeText(job.content, job.prefilter, { count: await loadO200kCounter(), known }, clock));
  const settle = (id: number, facts: TextFacts) => {
    const job = jobs.get(id);
    if (job === undefined) return;
    jobs.delete(id);
    inFlight[job.worker] = (inFlight[job.worker] ?? 0) - job.content.length;
    job.resolve(facts);
  };
  const retire = (index: number) => {
    if (!alive[index]) return;
    alive[index] = false;
    batches[index] = undefined;
    stageReplies.get(index)?.({});
    for (const [id, job] of jobs) {
      if (job.worker !== index) continue;
      jobs.delete(id);
      void analyzeHere(job);
    }
  };
  const threads = new Array<Worker | undefined>(size).fill(undefined);
  const start = (index: number, ranks?: RankTable) => {
    let worker: Worker;
    try {
      // Without cached counts the first worker builds the rank table at once, while the main thread selects.
      worker = new Worker(script, { ...options, workerData: { ranks, known, eager: known.count === 0 } });
    } catch {
      return; // its share is done by the others, or on the main thread
    }
    threads[index] = worker;
    alive[index] = true;
    worker.on("message", (reply: Reply) => {
      if (reply.type === "facts") reply.ids.forEach((id, k) => settle(id, reply.facts[k] as TextFacts));
      else if (reply.type === "ranks") startOthers(reply.ranks);
      else stageReplies.get(index)?.(reply.stages);
    });
    worker.on("error", () => retire(index));
    worker.on("exit", () => {
      retire(index);
      startOthers(undefined); // the first one died before sharing its table: the others build their own
    });
  };
  // Only the first worker builds the rank table; the others start once it is shared with them
  // (never, when every count is cached: one worker then hashes and pre-filters alone).
  let othersStarted = false;
  const startOthers = (ranks: RankTable | undefined) => {
    if (othersStarted || closing) return;
    othersStarted = true;
    for (let index = 1; index < size; index++) start(index, ranks);
  };
  start(0);
  if (!alive[0]) startOthers(undefined);

  const stagesOf = (index: number) =>
    new Promise<Record<string, number>>((resolve) => {
      const timer = setTimeout(() => resolve({}), STAGES_TIMEOUT_MS);
      stageReplies.set(index, (stages) => {
        clearTimeout(timer);
        resolve(stages);
      });
      threads[index]?.postMessage({ type: "stages" });
    });

  // A batch is copied into one buffer that is moved, not cloned, to the worker.
  const flush = (index: number) => {
    const batch = batches[index];
    if (batch === undefined) return;
    batches[index] = undefined;
    const content = new Uint8Array(batch.bytes);
    let offset = 0;
    for (const part of batch.parts) {
      content.set(part, offset);
      offset += part.length;
    }
    const lengths = batch.parts.map((part) => part.length);
    threads[index]?.postMessage({ type: "analyze", ids: batch.ids, prefilters: batch.prefilters, lengths, content }, [content.buffer]);
  };
  const flushAll = () => {
    flushScheduled = false;
    for (let index = 0; index < size; index++) flush(index);
  };

  return {
    analyze(content, prefilter) {
      return new Promise<TextFacts>((resolve) => {
        const index = leastBusy(inFlight, alive);
        const job: Job = { content, prefilter, worker: index, resolve };
        if (index === -1) return void analyzeHere(job);
        const id = nextId++;
        jobs.set(id, job);
        inFlight[index] = (inFlight[index] ?? 0) + content.length;
        const batch = (batches[index] ??= { ids: [], prefilters: [], parts: [], bytes: 0 });
        batch.ids.push(id);
        batch.prefilters.push(prefilter);
        batch.parts.push(content);
        batch.bytes += content.length;
        // Full batches go at once; the rest as soon as the caller waits for anything.
        if (batch.bytes >= BATCH_BYTES || batch.ids.length >= BATCH_FILES) flush(index);
        else if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushAll);
        }
      });
    },
    async close() {
      closing = true;
      // Work still queued means the snapshot failed or was canceled: stop at once.
      if (jobs.size > 0) {
        await Promise.all(threads.map((worker) => worker?.terminate()));
        return [];
      }
      const live = threads.map((_, index) => index).filter((index) => alive[index]);
      const stages = await Promise.all(live.map(stagesOf));
      await Promise.all(threads.map((worker, index) => (alive[index] ? exited(worker) : undefined)));
      return stages;
    },
  };
}

/** Waits for a worker to end on its own after its last message; ends it when it does not. */
function exited(worker: Worker | undefined): Promise<unknown> | undefined {
  if (worker === undefined) return undefined;
  const timer = setTimeout(() => void worker.terminate(), STAGES_TIMEOUT_MS);
  return new Promise((resolve) => worker.once("exit", resolve)).finally(() => clearTimeout(timer));
}

function leastBusy(inFlight: number[], alive: boolean[]): number {
  let best = -1;
  for (let i = 0; i < inFlight.length; i++) {
    if (alive[i] && (best === -1 || (inFlight[i] ?? 0) < (inFlight[best] ?? 0))) best = i;
  }
  return best;
}
