/** A separate process appending events to one job, to prove seq stays contiguous across processes. */
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";

const [path, jobId, count] = process.argv.slice(2) as [string, string, string];
const store = createSqliteStore(await openSqliteDatabase(path));
for (let i = 0; i < Number(count); i += 1) {
  await store.appendEvents(jobId, [{ type: "job-progressed", step: "worker", message: `${process.pid}:${i}` }]);
}
await store.close();
