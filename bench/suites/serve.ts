/**
 * `grompt serve` under load, each server in its own process and autocannon (50 connections) here:
 * POST /v1/jobs/craft at a steady paced rate and flat out, then GET /v1/jobs/:id flat out —
 * against a daemon with an instant craft handler (the daemon's own cost per job: HTTP, store,
 * queue, runner, events) and against the built `grompt serve` with the real craft handler (a fake
 * OpenAI server answering at once), next to a bare fastify process answering the same routes with
 * constants. Then SSE relay latency — a job event from its commit (and from the start of its store
 * write) until an SSE client has parsed it — next to a bare loopback HTTP write's.
 * Targets: create p99 ≤ 10 ms; relay p99 ≤ 2 ms.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { spawnFakeServer } from "../../test/fakes/spawn-fake-server";
import type { BenchSuite } from "../run";
import { type Load, connections, load as loadFor, paced as pacedFor, percentile, processCpuMs } from "../support/http-load";
import { bareRelay, relay } from "../support/sse-relay";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const relayEvents = Number(process.env.BENCH_RELAY_EVENTS ?? 2_000);
const targets = { createP99Ms: 10, relayP99Ms: 2 };
/** The offered load of the fixed-rate run: what one daemon's runner drains as fast as it comes. */
const fixedRate = Number(process.env.BENCH_RATE ?? 100);

const load = (url: string, options: Omit<Parameters<typeof loadFor>[1], "duration"> & { duration?: number }) => loadFor(url, { ...options, duration: options.duration ?? seconds });
const paced = (url: string, options: Omit<Parameters<typeof pacedFor>[1], "seconds">) => pacedFor(url, { ...options, seconds });

const cpu = (load: Load) => (load.cpuMsPerRequest === undefined ? "cpu n/a" : `cpu ${load.cpuMsPerRequest.toFixed(3)} ms/req`);
const line = (label: string, subject: Load, floor: Load) =>
  `${label.padEnd(22)} p50 ${String(subject.p50).padStart(5)} ms  p99 ${String(subject.p99).padStart(5)} ms  ${subject.rps.toFixed(0).padStart(6)} req/s  ${cpu(subject)}` +
  `   (bare fastify: p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.rps.toFixed(0)} req/s, ${cpu(floor)})` +
  (subject.non2xx > 0 ? `  ${subject.non2xx} non-2xx!` : "");

/** One daemon under load: a steady rate, then as fast as it answers, then reads. */
async function httpLoad(kind: "instant" | "craft", bare: { steady: Load; create: Load; get: Load }): Promise<{ saturated: Load; steady: Load }> {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-serve-"));
  const root = join(import.meta.dirname, "..", "..");
  const openai = await spawnFakeServer("openai");
  mkdirSync(join(dir, "xdg", "grompt"), { recursive: true });
  // The per-token jobs/min limit and the backlog bound (server.maxQueuedJobs, 10,000) would answer
  // 429s: out of the way — the runs measure how fast the daemon takes jobs in, everything accepted.
  writeFileSync(join(dir, "xdg", "grompt", "config.yaml"), "server: { jobsPerMinute: 1000000000, tokensPerMinute: 1000000000, maxQueuedJobs: 1000000000 }\n");
  const token = "bench-token-0123456789abcdef";
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, "xdg"),
    GROMPT_HOME: join(dir, "home"),
    GROMPT_TOKEN: token,
    GROMPT_LOG_LEVEL: "warn",
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: openai.baseUrl,
  };
  const args = kind === "craft" ? [join(root, "bin", "grompt"), "serve", "--port", "0"] : ["--import", import.meta.resolve("tsx"), join(import.meta.dirname, "..", "support", "instant-daemon.ts")];
  const daemon = spawn(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
  const url = /listening on (\S+)/.exec(await firstLine(daemon))?.[1] as string;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  try {
    // Warm-up: JIT, SQLite page cache, the SDK import on the first provider resolution.
    await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody, duration: 2 });
    await waitForRunner(url, headers);
    const { pid } = daemon;
    const steady = await paced(`${url}/v1/jobs/craft`, { rate: fixedRate, headers, body: craftBody, pid });
    await waitForRunner(url, headers);
    const cpuBefore = processCpuMs(pid);
    const fastStarted = performance.now();
    const create = await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody, pid });
    const fastSeconds = (performance.now() - fastStarted) / 1000;
    const countCpu = processCpuMs(pid);
    const leftQueued = await countQueued(url, headers);
    // Counting pages through the backlog: not part of any job's cost.
    const countingCpu = (processCpuMs(pid) ?? 0) - (countCpu ?? 0);
    const created = (await (await fetch(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody })).json()) as { id: string };
    const get = await load(`${url}/v1/jobs/${created.id}`, { method: "GET", headers, pid });
    const drained = performance.now();
    await waitForRunner(url, headers);
    const drainSeconds = (performance.now() - drained) / 1000;
    const runnerSeconds = (performance.now() - fastStarted) / 1000;
    const cpuAfter = processCpuMs(pid);
    // The fast run leaves jobs queued: their runs belong to the cost of creating them (the reads' own CPU is taken out).
    const readsCpu = (get.cpuMsPerRequest ?? 0) * get.requests;
    const perJob = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore - readsCpu - countingCpu) / (create.requests + 1);
    console.log(
      kind === "craft"
        ? "\nthe built `grompt serve`: the real craft handler (prompt rendering, guards, a streamed call to a fake OpenAI server that answers at once, the artifact written)"
        : "\n`grompt serve`'s start-up code with an instant craft handler (the daemon's own cost per job: HTTP, store, queue, runner, events)",
    );
    console.log(`  at a steady ${fixedRate} req/s:`);
    console.log(line("  POST /v1/jobs/craft", steady, bare.steady));
    console.log("  as fast as they answer:");
    console.log(line("  POST /v1/jobs/craft", create, bare.create));
    console.log(line("  GET  /v1/jobs/:id", get, bare.get));
    const jobs = create.requests + 1;
    console.log(
      `  the runner: ${jobs - leftQueued} of the fast run's ${jobs} jobs ran during its ${fastSeconds.toFixed(1)} s (${((jobs - leftQueued) / fastSeconds).toFixed(0)} jobs/s; a flood of submissions comes first), ` +
        `all ${jobs} within ${runnerSeconds.toFixed(1)} s of its start (${(jobs / runnerSeconds).toFixed(0)} jobs/s overall); the backlog drained ${drainSeconds.toFixed(1)} s after the reads ended`,
    );
    if (perJob !== undefined) console.log(`  cpu per job created flat out, its run included (from the fast run's start until the backlog drained): ${perJob.toFixed(3)} ms`);
    return { saturated: create, steady };
  } finally {
    daemon.kill("SIGTERM");
    await new Promise((resolve) => daemon.once("exit", resolve));
    await openai.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const craftBody = JSON.stringify({ ideas: ["a command-line tool that converts CSV to JSON"], purpose: "code" });
const firstLine = (child: ChildProcess) => new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve));

/** The floor: fastify answering the same routes with constants, in its own plain node process. */
async function bareLoad(): Promise<{ steady: Load; create: Load; get: Load }> {
  const bare = spawn(process.execPath, [join(import.meta.dirname, "..", "support", "bare-fastify.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const url = (JSON.parse(await firstLine(bare)) as { url: string }).url;
  const headers = { "content-type": "application/json" };
  try {
    await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody, duration: 2 });
    const { pid } = bare;
    const steady = await paced(`${url}/v1/jobs/craft`, { rate: fixedRate, headers, body: craftBody, pid });
    const create = await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody, pid });
    const get = await load(`${url}/v1/jobs/01BARE`, { method: "GET", headers, pid });
    return { steady, create, get };
  } finally {
    bare.kill("SIGTERM");
    await new Promise((resolve) => bare.once("exit", resolve));
  }
}

/** Jobs still queued (not started), counted through the API a page at a time. */
async function countQueued(url: string, headers: Record<string, string>): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const query = `state=queued&limit=500${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = (await (await fetch(`${url}/v1/jobs?${query}`, { headers })).json()) as { jobs: unknown[]; nextCursor?: string };
    count += page.jobs.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return count;
}

/** Waits until the runner drained the jobs queued so far, so one run's backlog does not weigh on the next. */
async function waitForRunner(url: string, headers: Record<string, string>): Promise<void> {
  for (;;) {
    const page = (await (await fetch(`${url}/v1/jobs?state=queued&state=prompting&limit=1`, { headers })).json()) as { jobs: unknown[] };
    if (page.jobs.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const suite: BenchSuite = {
  title: "grompt serve: create and read jobs under 50 connections, SSE relay latency (vs a bare fastify server and a bare loopback write)",
  async run() {
    const loads = () => loadavg().map((value) => value.toFixed(2)).join(" ");
    console.log(`${connections} connections, ${seconds} s per run; autocannon in this process, each server in its own; load average ${loads()}`);
    console.log("cpu = the server process's CPU time (user + system, all its threads) per answered request, measured over the same run");
    const bare = await bareLoad();
    const instant = await httpLoad("instant", bare);
    const craft = await httpLoad("craft", bare);
    const { saturated: create, steady } = instant;
    const floor = [...(await bareRelay(relayEvents))].sort((a, b) => a - b);
    const measured = await relay(relayEvents);
    const relayed = [...measured.relay].sort((a, b) => a - b);
    const endToEnd = [...measured.endToEnd].sort((a, b) => a - b);
    const p = (sorted: number[], q: number) => percentile(sorted, q).toFixed(3);
    console.log(
      `\nSSE relay, ${relayEvents} events, one in flight:\n` +
        `  append committed → client   p50 ${p(relayed, 50)} ms  p99 ${p(relayed, 99)} ms\n` +
        `  append begun → client       p50 ${p(endToEnd, 50)} ms  p99 ${p(endToEnd, 99)} ms  (the store write included)\n` +
        `  bare loopback write → read  p50 ${p(floor, 50)} ms  p99 ${p(floor, 99)} ms`,
    );
    const met = (load: Load) => (load.p99 <= targets.createP99Ms && load.non2xx === 0 ? "met" : "MISSED");
    console.log(`\nload average at the end ${loads()}`);
    console.log(
      `\ntargets: create p99 ≤ ${targets.createP99Ms} ms — instant handler: ${met(steady)} at ${fixedRate} req/s, ${met(create)} flat out; ` +
        `craft handler: ${met(craft.steady)} at ${fixedRate} req/s, ${met(craft.saturated)} flat out. ` +
        `relay p99 ≤ ${targets.relayP99Ms} ms — ${percentile(relayed, 99) <= targets.relayP99Ms ? "met" : "MISSED"}`,
    );
  },
};

export default suite;
