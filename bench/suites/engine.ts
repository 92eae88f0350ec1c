/**
 * The job engine's own overhead per job: create (store + idempotent event) → enqueue (spool) →
 * claim (lease) → every evolve state through the FSM → events → done, with an instant in-memory
 * provider, on a real temporary GROMPT_HOME. Baseline: the same number of bare SQLite inserts
 * (one autocommitted row each, same pragmas) measured in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import type { ProviderPort } from "../../src/core/ports/provider-port";
import type { BenchSuite } from "../run";

const count = Number(process.env.BENCH_JOBS ?? 1_000);
const targetP50Ms = 5;

const instantProvider: ProviderPort = {
  generate: async (input) => ({ text: `--- a/x\n+++ b/x\n${input.user.length}`, provider: "openai", model: "instant", usage: { prompt: 12, completion: 8, total: 20 } }),
};

const evolveLike: JobHandler = async (ctx) => {
  await ctx.advance("snapshotting");
  await ctx.emit({ type: "snapshot-taken", snapshotId: "s", files: 3, bytes: 120 });
  await ctx.advance("prompting");
  await ctx.emit({ type: "provider-call-started", callId: "c1", provider: "openai", model: "instant", purpose: "refactor" });
  const answer = await instantProvider.generate({ user: "rename foo" }, {}, { signal: ctx.signal });
  await ctx.advance("diffing");
  await ctx.emit({ type: "provider-call-finished", callId: "c1", usage: answer.usage, costMicros: 20, cached: false, latencyMs: 0 });
  return { result: { files: 1 }, usage: answer.usage, costMicros: 20 };
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (value: number) => value.toFixed(3).padStart(8);

function summarize(label: string, samples: number[], totalMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  console.log(`${label.padEnd(34)} p50 ${ms(p50)} ms   p99 ${ms(percentile(sorted, 99))} ms   ${((samples.length / totalMs) * 1000).toFixed(0).padStart(6)} /s`);
  return p50;
}

function bareInserts(dir: string): { samples: number[]; totalMs: number } {
  const db = new BetterSqlite3(join(dir, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("create table rows (id text primary key, payload text not null, ts text not null)");
  const insert = db.prepare("insert into rows (id, payload, ts) values (?, ?, ?)");
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    insert.run(`row-${i}`, JSON.stringify({ i, purpose: "refactor" }), new Date().toISOString());
    samples.push(performance.now() - t0);
  }
  const totalMs = performance.now() - started;
  db.close();
  return { samples, totalMs };
}

async function engine(dir: string, mode: "one at a time" | "burst"): Promise<{ samples: number[]; totalMs: number }> {
  const home = join(dir, mode === "burst" ? "burst" : "serial");
  const container = createContainer({ cwd: dir, env: { GROMPT_HOME: home, XDG_CONFIG_HOME: join(dir, "xdg"), GROMPT_LOG_LEVEL: "warn" } });
  const runner = await container.runner({ handlers: { refactor: evolveLike }, pollMs: 60_000 });
  await runner.start();
  const jobs = await container.jobs();
  const samples: number[] = [];
  const started = performance.now();
  if (mode === "one at a time") {
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      await jobs.create({ purpose: "refactor", provider: "openai", model: "instant", input: { instruction: `job ${i}` } });
      await runner.idle();
      samples.push(performance.now() - t0);
    }
  } else {
    for (let i = 0; i < count; i += 1) {
      await jobs.create({ purpose: "refactor", provider: "openai", model: "instant", input: { instruction: `job ${i}` } });
    }
    await runner.idle();
    // Queueing dominates here, so the stored timestamps' millisecond resolution is enough.
    let cursor: string | undefined;
    do {
      const page = await jobs.list({ limit: 500, cursor });
      for (const job of page.jobs) samples.push(Date.parse(job.finishedAt ?? "") - Date.parse(job.createdAt));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
  const totalMs = performance.now() - started;
  const unfinished = (await jobs.list({ states: ["queued", "snapshotting", "prompting", "diffing", "error"] })).jobs.length;
  if (unfinished > 0 || samples.length !== count) throw new Error(`${unfinished} of ${count} jobs did not end in done`);
  await runner.stop();
  await container.close();
  return { samples, totalMs };
}

const suite: BenchSuite = {
  title: `${count} evolve-shaped jobs through the real engine vs ${count} bare SQLite inserts`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "grompt-bench-engine-"));
    try {
      const baseline = bareInserts(dir);
      const serial = await engine(dir, "one at a time");
      const burst = await engine(dir, "burst");
      const baseP50 = summarize("baseline: bare SQLite insert", baseline.samples, baseline.totalMs);
      const p50 = summarize("engine: one job at a time", serial.samples, serial.totalMs);
      summarize("engine: created back to back, c=2", burst.samples, burst.totalMs);
      console.log(`\nper-job overhead p50 = ${(p50 / baseP50).toFixed(0)}× one bare insert; target p50 ≤ ${targetP50Ms} ms: ${p50 <= targetP50Ms ? "met" : "NOT met"}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
