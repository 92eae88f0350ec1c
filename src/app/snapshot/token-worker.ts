/**
 * Worker thread entry (built as dist/token-worker.js): counts o200k_base tokens for the snapshot
 * while the main thread reads, scans and writes.
 */
import { parentPort } from "node:worker_threads";
import { loadO200kCounter } from "./count-o200k-tokens";

const port = parentPort;
if (port === null) throw new Error("token-worker runs as a worker thread only");
const count = await loadO200kCounter();
port.on("message", (message: { id: number; text: string }) => {
  port.postMessage({ id: message.id, tokens: count(message.text) });
});
