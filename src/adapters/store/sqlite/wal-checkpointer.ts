import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface WalCheckpointer {
  /** Stops the thread (after its checkpoint in progress, if any) and closes its connection. */
  stop(): Promise<void>;
}

/** How often the thread moves committed pages from the write-ahead log into the database while there are some. */
const defaultIntervalMs = 50;
/** How often it looks while the log holds nothing new: an idle daemon should cost next to nothing. */
const idleIntervalMs = 250;

/**
 * The thread's whole program: its own connection to the database and a PASSIVE checkpoint on every
 * tick — it never waits for, nor blocks, the process's readers and writers, and with nothing new in
 * the log it only reads the shared-memory header and looks again less often. Closed on the first
 * message.
 */
const threadSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
const checkpoint = db.prepare("pragma wal_checkpoint(PASSIVE)");
let timer;
const tick = () => {
  const { log, checkpointed } = checkpoint.get();
  timer = setTimeout(tick, log > checkpointed ? workerData.intervalMs : workerData.idleMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.once("message", () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage("started");
`;

/**
 * Checkpoints the write-ahead log on a worker thread. SQLite otherwise checkpoints inside whichever
 * commit pushes the log past 1,000 pages: that commit copies ~4 MB into the database and waits for
 * two fsyncs, milliseconds to tens of milliseconds during which a server's event loop answers
 * nothing. With the thread copying the log every few dozen milliseconds the log restarts before it
 * reaches that size, so commits stay short; the connection's own automatic checkpoint stays on as
 * the safety net (under writes with no pause at all the thread cannot finish a pass, and that
 * checkpoint then finds little left to copy). Durability does not change: a commit is as durable
 * as `synchronous` says, whoever copies it into the database later.
 */
export async function startWalCheckpointer(path: string, intervalMs = defaultIntervalMs): Promise<WalCheckpointer> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(threadSource, { eval: true, workerData: { driver, path, intervalMs, idleMs: Math.max(intervalMs, idleIntervalMs) } });
  // It never keeps a process alive; stop() holds it until it has closed its connection.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // An error ends the thread, and the connection's automatic checkpoints carry on alone.
  worker.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    void exited.then(() => reject(new Error("the checkpoint thread exited before it started")));
  });
  let stopping = false;
  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.ref();
        worker.postMessage("stop");
      }
      await exited;
    },
  };
}
