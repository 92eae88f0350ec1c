/**
 * Worker thread entry (built as dist/spool-writer-worker.js): writes batches of new spool entries
 * — temp file, hard link into `index/`, rename into place — so the daemon's main thread, which
 * answers job submissions, spends no time in these system calls. See spool-writer.ts.
 */
import { linkSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort } from "node:worker_threads";
import type { SpoolBatch, SpoolBatchResult } from "./spool-writer";

const port = parentPort;
if (port === null) throw new Error("spool-writer-worker runs as a worker thread only");

port.on("message", ({ id, dir, entries }: SpoolBatch) => {
  const failed: SpoolBatchResult["failed"] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const [jobId, place, name, temp] = entries[index] as SpoolBatch["entries"][number];
    const tempPath = join(dir, "tmp", temp);
    try {
      // Empty: the name says everything, as in the queue's own enqueue.
      writeFileSync(tempPath, "", { flag: "wx" });
      linkSync(tempPath, join(dir, "index", jobId));
      renameSync(tempPath, join(dir, place, name));
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      try {
        unlinkSync(tempPath);
      } catch {
        // Never created, or moved into place already.
      }
      failed.push([index, code ?? "", message]);
    }
  }
  port.postMessage({ id, failed } satisfies SpoolBatchResult);
});
