/** A separate process that claims from a shared spool until it is empty, printing what it got. */
import { createFileSpoolQueue } from "../../src/adapters/queue/file-spool/file-spool-queue";

const [dir] = process.argv.slice(2) as [string];
const queue = createFileSpoolQueue({ dir, maxAttempts: 3 });
const claimed: string[] = [];
for (;;) {
  const lease = await queue.claim(`worker-${process.pid}`, 30_000);
  if (lease === undefined) break;
  claimed.push(lease.entry.jobId);
  await queue.complete(lease);
}
process.stdout.write(JSON.stringify(claimed));
