/**
 * A separate process appending events to one job, to prove seq stays contiguous across processes.
 * Args: <db path> <job id> <count> <barrier dir>: it waits for `go` there so all workers overlap.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";

const [path, jobId, count, barrier] = process.argv.slice(2) as [string, string, string, string];
const store = createSqliteStore(await openSqliteDatabase(path));
writeFileSync(join(barrier, `ready-${process.pid}`), "");
while (!existsSync(join(barrier, "go"))) await sleep(2);
for (let i = 0; i < Number(count); i += 1) {
  await store.appendEvents(jobId, [{ type: "job-progressed", step: "worker", message: `${process.pid}:${i}` }]);
}
await store.close();
