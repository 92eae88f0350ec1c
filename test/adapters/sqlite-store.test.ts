import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createSqliteStore } from "../../src/adapters/store/sqlite/sqlite-store";
import { newJob, runStoreContract } from "../contracts/store.contract";
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
