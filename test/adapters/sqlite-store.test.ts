import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";
import { newJob, runStoreContract } from "../contracts/store.contract";
import { holdDoomedTransaction } from "../support/doomed-transaction";
import { runScript } from "../support/run-script";
import { makeTempDir } from "../support/temp-home";

runStoreContract("sqlite (file)", async () => {
  const temp = makeTempDir();
  let now = new Date();
  const store = createSqliteStore(await openSqliteDatabase(join(temp.dir, "grompt.db")), { clock: () => now });
  return { store, setNow: (iso) => (now = new Date(iso)), cleanup: async () => temp.cleanup() };
});

// The daemon's setting: the same contract holds while a thread checkpoints the log.
runStoreContract("sqlite (file, background checkpoints)", async () => {
  const temp = makeTempDir();
  let now = new Date();
  const store = createSqliteStore(await openSqliteDatabase(join(temp.dir, "grompt.db"), { backgroundCheckpoints: true }), { clock: () => now });
  return { store, setNow: (iso) => (now = new Date(iso)), cleanup: async () => temp.cleanup() };
});

describe("sqlite store across processes", () => {
  it("keeps one job's event seq contiguous while three processes append at once", async () => {
    const temp = makeTempDir();
    try {
      const path = join(temp.dir, "grompt.db");
      const store = createSqliteStore(await openSqliteDatabase(path));
      await store.createJob(newJob("shared"));
      const barrier = join(temp.dir, "barrier");
      mkdirSync(barrier);
      const running = Promise.all([1, 2, 3].map(() => runScript("append-events-worker.ts", [path, "shared", "40", barrier])));
      while (readdirSync(barrier).length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      writeFileSync(join(barrier, "go"), "");
      await running;
      const events = await store.listEvents("shared");
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 121 }, (_, i) => i + 1));
      expect(new Set(events.map((e) => (e.event.type === "job-progressed" ? e.event.message : "created"))).size).toBe(121);
      await store.close();
    } finally {
      temp.cleanup();
    }
  });
});

describe("sqlite usage ledger", () => {
  const entry = (callId: string, status: "reserved" | "settled", total: number) => ({
    callId, status, scope: "cli", provider: "openai", model: "m", cached: false,
    usage: { prompt: total, completion: 0, total }, costMicros: total * 10, ts: new Date().toISOString(),
  });

  it("settles a reservation in one write: the settled row in, the reserved row gone", async () => {
    const temp = makeTempDir();
    const handle = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    const store = createSqliteStore(handle);
    try {
      await store.recordUsage(entry("c1", "reserved", 50));
      await store.settleUsage?.(entry("c1", "settled", 30));
      expect(handle.raw.prepare("select call_id, status, total_tokens from usage_ledger").all()).toEqual([{ call_id: "c1", status: "settled", total_tokens: 30 }]);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });

  it("never lets a ledger write join another caller's open transaction (it waits, and outlives that rollback)", async () => {
    const temp = makeTempDir();
    const handle = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    const store = createSqliteStore(handle);
    try {
      const doomed = holdDoomedTransaction(handle);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(handle.raw.inTransaction).toBe(true);
      const writes = Promise.all([store.recordUsage(entry("c1", "reserved", 50)), store.settleUsage?.(entry("c2", "settled", 5)), store.releaseReservation("c9")]);
      doomed.release();
      expect(await doomed.outcome).toBe("roll back");
      await writes;
      expect(handle.raw.prepare("select call_id, status from usage_ledger order by call_id").all()).toEqual([
        { call_id: "c1", status: "reserved" },
        { call_id: "c2", status: "settled" },
      ]);
      expect(handle.raw.prepare("select count(*) as n from counters where name = 'doomed'").get()).toEqual({ n: 0 });
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});
