/**
 * A separate process that claims from a shared spool until it is empty, printing what it got.
 * Args: <spool dir> <barrier dir>: it announces itself there, then waits for `go` so that every
 * worker starts claiming at the same moment.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createFileSpoolQueue } from "../../src/adapters/queue/file-spool/file-spool-queue";

const [dir, barrier] = process.argv.slice(2) as [string, string];
const queue = createFileSpoolQueue({ dir, maxAttempts: 3 });
writeFileSync(join(barrier, `ready-${process.pid}`), "");
while (!existsSync(join(barrier, "go"))) await sleep(2);
const claimed: string[] = [];
for (;;) {
  const lease = await queue.claim(`worker-${process.pid}`, 30_000);
  if (lease === undefined) break;
  claimed.push(lease.entry.jobId);
  // Hold the lease a moment, as a real job would: one worker alone then needs ≥ 0.8 s for the 400
  // entries, so a worker the scheduler starts late on a loaded machine still gets its share.
  await sleep(2);
  await queue.complete(lease);
}
process.stdout.write(JSON.stringify(claimed));
