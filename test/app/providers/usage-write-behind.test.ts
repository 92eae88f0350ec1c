import "../../support/loopback-only";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SqliteHandle, openSqliteDatabase } from "../../../src/adapters/store/sqlite/open-database";
import { createUsageLedger } from "../../../src/adapters/store/sqlite/usage-ledger";
import { createContainer } from "../../../src/app/container";
import type { UsageEntry } from "../../../src/core/ports/store-port";
import { type FakeServer, startFakeServer } from "../../fakes/fake-server";
import { holdDoomedTransaction } from "../../support/doomed-transaction";
import { makeTempDir } from "../../support/temp-home";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const entry = (callId: string, status: UsageEntry["status"] = "settled"): UsageEntry => ({
  callId,
  scope: "cli",
  provider: "openai",
  model: "gpt-4.1-mini",
  usage: { prompt: 1, completion: 2, total: 3 },
  costMicros: 4,
  cached: false,
  status,
  ts: new Date().toISOString(),
});

describe("the usage ledger's write-behind queue", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let handles: SqliteHandle[];
  const connect = async () => {
    const handle = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    handles.push(handle);
    return handle;
  };
  const rows = (handle: SqliteHandle) => handle.raw.prepare("select call_id, status from usage_ledger order by call_id, status").all();

  beforeEach(() => {
    temp = makeTempDir("grompt-usage-later-");
    handles = [];
  });
  afterEach(async () => {
    for (const handle of handles) if (handle.raw.open) await handle.close();
    temp.cleanup();
  });

  it("writes after the event-loop turn, in order: a settlement replaces the reservation it follows", async () => {
    const handle = await connect();
    const other = await connect();
    await createUsageLedger(handle).record(entry("a", "reserved"));
    const later = createUsageLedger(handle).later();
    later.settle(entry("a"));
    later.record(entry("b"));
    expect(later.pending).toBe(2);
    expect(rows(other)).toEqual([{ call_id: "a", status: "reserved" }]);
    await turn();
    expect(later.pending).toBe(0);
    expect(rows(other)).toEqual([
      { call_id: "a", status: "settled" },
      { call_id: "b", status: "settled" },
    ]);
  });

  it("waits for another caller's open transaction instead of joining it", async () => {
    const handle = await connect();
    const later = createUsageLedger(handle).later();
    const doomed = holdDoomedTransaction(handle);
    await turn();
    later.record(entry("kept"));
    await turn();
    await turn();
    expect(later.pending).toBe(1);
    const flushed = later.flush();
    doomed.release();
    expect(await doomed.outcome).toBe("roll back");
    await flushed;
    expect(rows(await connect())).toEqual([{ call_id: "kept", status: "settled" }]);
  });

  it("reports entries it could not write, by call id, instead of throwing into a caller", async () => {
    const handle = await connect();
    const failures: { error: unknown; callIds: string[] }[] = [];
    const later = createUsageLedger(handle).later({ onError: (error, callIds) => failures.push({ error, callIds }) });
    later.record(entry("lost"));
    handle.raw.close();
    await turn();
    expect(failures.map((f) => f.callIds)).toEqual([["lost"]]);
    expect(String(failures[0]?.error)).toContain("1 usage entries");
  });

  it("writes what is queued when the process exits without closing", () => {
    const script = `
      const { openSqliteDatabase } = await import(${JSON.stringify(join(process.cwd(), "src/adapters/store/sqlite/open-database.ts"))});
      const { createUsageLedger } = await import(${JSON.stringify(join(process.cwd(), "src/adapters/store/sqlite/usage-ledger.ts"))});
      const handle = await openSqliteDatabase(process.argv[1]);
      createUsageLedger(handle).later().record(${JSON.stringify(entry("at-exit"))});
      process.exit(0);
    `;
    const path = join(temp.dir, "exit.db");
    execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, path], { stdio: "pipe" });
    return openSqliteDatabase(path).then(async (handle) => {
      handles.push(handle);
      expect(rows(handle)).toEqual([{ call_id: "at-exit", status: "settled" }]);
    });
  });
});

describe("usage ledger in the container", () => {
  let openai: FakeServer;
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    openai = await startFakeServer("openai");
  });
  afterAll(async () => openai.close());
  beforeEach(() => {
    openai.reset();
    temp = makeTempDir("grompt-usage-container-");
  });
  afterEach(() => temp.cleanup());

  const container = (env: Record<string, string> = {}) =>
    createContainer({
      cwd: temp.dir,
      env: { GROMPT_HOME: temp.dir, HOME: temp.dir, XDG_CONFIG_HOME: join(temp.dir, "config"), OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl, ...env },
    });
  // Another connection, opened before the call, read synchronously: what other processes see.
  let observer: SqliteHandle | undefined;
  afterEach(async () => {
    await observer?.close();
    observer = undefined;
  });
  const observe = async () => {
    observer = await openSqliteDatabase(join(temp.dir, "grompt.db"));
    const rows = observer.raw.prepare("select call_id as callId, status, cost_micros as cost from usage_ledger order by status");
    return () => rows.all() as { callId: string; status: string; cost: number }[];
  };

  it("hands the answer back before the ledger write, and writes it by the close", async () => {
    const ledgerRows = await observe();
    const first = container();
    const result = await (await first.providers.resolve()).generate({ user: "settle me" });
    expect(ledgerRows()).toEqual([]);
    await first.close();
    expect(ledgerRows()).toEqual([{ callId: result.callId, status: "settled", cost: result.costMicros }]);
  });

  it("keeps a quota's reservation counted until the settlement is written", async () => {
    const ledgerRows = await observe();
    const first = container({ GROMPT_DAILY_COST_USD: "5" });
    openai.enqueue({ kind: "text", text: "small", usage: { prompt: 10, completion: 10 } });
    const result = await (await first.providers.resolve()).generate({ user: "reserve me" }, { maxTokens: 100 });
    expect(ledgerRows()).toEqual([{ callId: result.callId, status: "reserved", cost: expect.any(Number) }]);
    await turn();
    expect(ledgerRows()).toEqual([{ callId: result.callId, status: "settled", cost: result.costMicros }]);
    await first.close();
  });

  it("settles at once a call that spent more than its reservation held", async () => {
    const ledgerRows = await observe();
    const first = container({ GROMPT_DAILY_COST_USD: "5" });
    openai.enqueue({ kind: "text", text: "long", usage: { prompt: 10, completion: 5_000 } });
    const result = await (await first.providers.resolve()).generate({ user: "spend more" }, { maxTokens: 10 });
    expect(ledgerRows()).toEqual([{ callId: result.callId, status: "settled", cost: result.costMicros }]);
    await first.close();
  });
});
