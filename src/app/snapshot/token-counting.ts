import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { TokenCounting } from "../../adapters/snapshot/take-snapshot";
import { loadO200kCounter } from "./count-o200k-tokens";

export interface TokenCountingOptions {
  /** Worker threads to count on; default: one per spare core (at most 4), none for small trees. */
  workers?: number;
}

/** Below this much text a worker costs more to start than it saves. */
const WORKER_THRESHOLD_BYTES = 4 * 1024 * 1024;
/** Text queued to workers before the producer waits: bounds memory on a slow or busy machine. */
const MAX_IN_FLIGHT_CHARS = 8 * 1024 * 1024;

/**
 * Token counting for a snapshot. Counting is the heaviest CPU step of a snapshot, so for large
 * trees it runs on worker threads, in parallel with reading, scanning and writing on the main
 * thread. A worker that fails to start or dies hands its work back to the main thread: counts are
 * never lost, only slower. (Letting the main thread count too while it waits was measured: no
 * faster on two cores, and a second copy of the tokenizer's tables.)
 */
export async function openTokenCounting(expectedBytes: number, options: TokenCountingOptions = {}): Promise<TokenCounting> {
  const spareCores = Math.min(4, Math.max(1, availableParallelism() - 1));
  const workers = options.workers ?? (expectedBytes < WORKER_THRESHOLD_BYTES ? 0 : spareCores);
  if (workers === 0) {
    const counter = await loadO200kCounter();
    return { count: async (text) => counter(text), capacity: async () => {}, close: async () => {} };
  }
  return createWorkerPool(workers);
}

interface Job {
  text: string;
  resolve: (tokens: number) => void;
}

/** Counts on the main thread, for the work of a worker that failed (the ranks load only then). */
const countHere = async (text: string): Promise<number> => (await loadO200kCounter())(text);

function createWorkerPool(size: number): TokenCounting {
  const { script, execArgv } = workerScript();
  const jobs = new Map<number, Job & { worker: number }>();
  const inFlight = new Array<number>(size).fill(0);
  const alive = new Array<boolean>(size).fill(true);
  let total = 0;
  let nextId = 0;
  let waiting: (() => void) | undefined;
  let closed = false;

  const settle = (id: number, tokens: number) => {
    const job = jobs.get(id);
    if (job === undefined) return;
    jobs.delete(id);
    inFlight[job.worker] = (inFlight[job.worker] ?? 0) - job.text.length;
    total -= job.text.length;
    job.resolve(tokens);
    if (total <= MAX_IN_FLIGHT_CHARS) waiting?.();
  };
  // A failed worker's jobs are counted here instead, so no promise is ever left hanging.
  const retire = (index: number) => {
    if (!alive[index]) return;
    alive[index] = false;
    for (const [id, job] of jobs) {
      if (job.worker !== index) continue;
      if (closed) settle(id, 0);
      else void countHere(job.text).then((tokens) => settle(id, tokens));
    }
  };
  const threads = Array.from({ length: size }, (_, index) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { execArgv });
    } catch {
      alive[index] = false; // counted on the main thread instead
      return undefined;
    }
    worker.on("message", (message: { id: number; tokens: number }) => settle(message.id, message.tokens));
    worker.on("error", () => retire(index));
    worker.on("exit", () => retire(index));
    return worker;
  });

  return {
    count(text) {
      const index = leastBusy(inFlight, alive);
      if (index === -1) return countHere(text);
      const id = nextId++;
      return new Promise<number>((resolve) => {
        jobs.set(id, { text, resolve, worker: index });
        inFlight[index] = (inFlight[index] ?? 0) + text.length;
        total += text.length;
        threads[index]?.postMessage({ id, text });
      });
    },
    async capacity() {
      while (total > MAX_IN_FLIGHT_CHARS) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        waiting = undefined;
      }
    },
    async close() {
      closed = true;
      await Promise.all(threads.map((worker) => worker?.terminate()));
    },
  };
}

function leastBusy(inFlight: number[], alive: boolean[]): number {
  let best = -1;
  for (let i = 0; i < inFlight.length; i++) {
    if (alive[i] && (best === -1 || (inFlight[i] ?? 0) < (inFlight[best] ?? 0))) best = i;
  }
  return best;
}

/**
 * The bundle ships the worker as dist/token-worker.js next to dist/cli.js; from sources (tests,
 * tsx) it is the .ts file beside this one, loaded through tsx. The process's own flags are not
 * passed on: V8 heap flags such as --max-old-space-size are refused by workers.
 */
function workerScript(): { script: URL; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith(".ts");
  return fromSources
    ? { script: new URL("./token-worker.ts", import.meta.url), execArgv: ["--import", "tsx"] }
    : { script: new URL("./token-worker.js", import.meta.url), execArgv: [] };
}
