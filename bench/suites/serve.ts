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
import { Agent, createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { startDaemon } from "../../src/server/start-daemon";
import { spawnFakeServer } from "../../test/fakes/spawn-fake-server";
import type { BenchSuite } from "../run";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 50;
const relayEvents = Number(process.env.BENCH_RELAY_EVENTS ?? 2_000);
const targets = { createP99Ms: 10, relayP99Ms: 2 };
/** The offered load of the fixed-rate run: what one daemon's runner drains as fast as it comes. */
const fixedRate = Number(process.env.BENCH_RATE ?? 100);

interface Load {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
}

async function load(url: string, options: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; duration?: number }): Promise<Load> {
  const result = await autocannon({ url, connections, duration: options.duration ?? seconds, method: options.method, headers: options.headers, body: options.body });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, requests: result.requests.total, non2xx: result.non2xx + result.errors + result.timeouts };
}

/**
 * Open-loop load at an even pace — request i leaves at start + i/rate whatever the answers do — over
 * at most 50 keep-alive connections; latency is measured per request from the moment it left.
 * (autocannon's own rate mode releases each second's budget in a burst.)
 */
async function paced(url: string, options: { rate: number; headers: Record<string, string>; body: string }): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(options.rate * seconds);
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sends.push(
      new Promise<void>((resolve) => {
        const sent = performance.now();
        const req = request(url, { method: "POST", agent, headers: options.headers }, (res) => {
          res.resume();
          res.on("end", () => {
            if ((res.statusCode ?? 0) >= 300) failed += 1;
            else latencies.push(performance.now() - sent);
            resolve();
          });
        });
        req.on("error", () => {
          failed += 1;
          resolve();
        });
        req.end(options.body);
      }),
    );
  }
  await Promise.all(sends);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), rps: (latencies.length * 1000) / (performance.now() - started), requests: latencies.length, non2xx: failed };
}

const line = (label: string, subject: Load, floor: Load) =>
  `${label.padEnd(22)} p50 ${String(subject.p50).padStart(5)} ms  p99 ${String(subject.p99).padStart(5)} ms  ${subject.rps.toFixed(0).padStart(6)} req/s` +
  `   (bare fastify: p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.rps.toFixed(0)} req/s)` +
  (subject.non2xx > 0 ? `  ${subject.non2xx} non-2xx!` : "");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** One daemon under load: a steady rate, then as fast as it answers, then reads. */
async function httpLoad(kind: "instant" | "craft", bare: { steady: Load; create: Load; get: Load }): Promise<{ saturated: Load; steady: Load }> {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-serve-"));
  const root = join(import.meta.dirname, "..", "..");
  const openai = await spawnFakeServer("openai");
  mkdirSync(join(dir, "xdg", "grompt"), { recursive: true });
  // The per-token jobs/min limit would answer 429s: out of the way.
  writeFileSync(join(dir, "xdg", "grompt", "config.yaml"), "server: { jobsPerMinute: 1000000000, tokensPerMinute: 1000000000 }\n");
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
    const steady = await paced(`${url}/v1/jobs/craft`, { rate: fixedRate, headers, body: craftBody });
    await waitForRunner(url, headers);
    const create = await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody });
    const created = (await (await fetch(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody })).json()) as { id: string };
    const get = await load(`${url}/v1/jobs/${created.id}`, { method: "GET", headers });
    const drained = performance.now();
    await waitForRunner(url, headers);
    const drainSeconds = (performance.now() - drained) / 1000;
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
    console.log(`  the runner finished the backlog left by the fast run ${drainSeconds.toFixed(1)} s after it ended`);
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
    const steady = await paced(`${url}/v1/jobs/craft`, { rate: fixedRate, headers, body: craftBody });
    const create = await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body: craftBody });
    const get = await load(`${url}/v1/jobs/01BARE`, { method: "GET", headers });
    return { steady, create, get };
  } finally {
    bare.kill("SIGTERM");
    await new Promise((resolve) => bare.once("exit", resolve));
  }
}

/** Waits until the runner drained the jobs queued so far, so one run's backlog does not weigh on the next. */
async function waitForRunner(url: string, headers: Record<string, string>): Promise<void> {
  for (;;) {
    const page = (await (await fetch(`${url}/v1/jobs?state=queued&state=prompting&limit=1`, { headers })).json()) as { jobs: unknown[] };
    if (page.jobs.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A job event → SSE client, one event in flight at a time, in one process: from the moment its
 * append committed (`relay`) and from just before the append began (`end to end`, the store write
 * included).
 */
async function relay(): Promise<{ relay: number[]; endToEnd: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-relay-"));
  const container = createContainer({
    cwd: dir,
    env: { GROMPT_HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "xdg"), GROMPT_LOG_LEVEL: "warn", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
  });
  const sentAt: number[] = [];
  const committedAt: number[] = [];
  let next: (() => void) | undefined;
  const handler: JobHandler = async (ctx) => {
    await ctx.advance("prompting");
    for (let i = 0; i < relayEvents; i += 1) {
      await new Promise<void>((resolve) => (next = resolve));
      sentAt[i] = performance.now();
      await ctx.emit({ type: "job-progressed", step: "relay", message: String(i) });
      committedAt[i] = performance.now();
    }
    return { result: {} };
  };
  const token = "bench-token-0123456789abcdef";
  const daemon = await startDaemon(container, { host: "127.0.0.1", port: 0, token, roots: [dir], corsOrigins: [], handlers: { craft: handler }, blobs: container.blobs, version: "bench" });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  try {
    const job = (await (await fetch(`${daemon.url}/v1/jobs/craft`, { method: "POST", headers, body: JSON.stringify({ ideas: ["relay"] }) })).json()) as { id: string };
    const latencies: number[] = [];
    const fromCommit: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(`${daemon.url}/v1/jobs/${job.id}/stream`, { headers }, (res) => {
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.includes("event: state-changed") && latencies.length === 0 && sentAt.length === 0) next?.();
            const message = /"step":"relay","message":"(\d+)"/.exec(frame);
            if (message === null) continue;
            const index = Number(message[1]);
            const receivedAt = performance.now();
            latencies.push(receivedAt - (sentAt[index] as number));
            // The client can parse the event before the handler's await of its append resumes.
            fromCommit.push(Math.max(0, receivedAt - (committedAt[index] ?? receivedAt)));
            if (index + 1 < relayEvents) next?.();
            else {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on("error", reject);
      req.end();
    });
    return { relay: fromCommit, endToEnd: latencies };
  } finally {
    await daemon.stop();
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: a chunk written to a loopback HTTP response until the client has read it. */
async function bareRelay(): Promise<number[]> {
  let response: ServerResponse | undefined;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.flushHeaders();
    response = res;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const latencies: number[] = [];
  await new Promise<void>((resolve) => {
    const req = request(`http://127.0.0.1:${port}/`, (res) => {
      res.setEncoding("utf8");
      let sent = 0;
      const send = () => {
        sent = performance.now();
        response?.write(`data: ${latencies.length}\n\n`);
      };
      res.on("data", () => {
        latencies.push(performance.now() - sent);
        if (latencies.length < relayEvents) setImmediate(send);
        else {
          req.destroy();
          resolve();
        }
      });
      setImmediate(send);
    });
    req.end();
  });
  server.closeAllConnections();
  server.close();
  return latencies;
}

const suite: BenchSuite = {
  title: "grompt serve: create and read jobs under 50 connections, SSE relay latency (vs a bare fastify server and a bare loopback write)",
  async run() {
    console.log(`${connections} connections, ${seconds} s per run; autocannon in this process, each server in its own`);
    const bare = await bareLoad();
    const instant = await httpLoad("instant", bare);
    const craft = await httpLoad("craft", bare);
    const { saturated: create, steady } = instant;
    const floor = [...(await bareRelay())].sort((a, b) => a - b);
    const measured = await relay();
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
    console.log(
      `\ntargets: create p99 ≤ ${targets.createP99Ms} ms — instant handler: ${met(steady)} at ${fixedRate} req/s, ${met(create)} flat out; ` +
        `craft handler: ${met(craft.steady)} at ${fixedRate} req/s, ${met(craft.saturated)} flat out. ` +
        `relay p99 ≤ ${targets.relayP99Ms} ms — ${percentile(relayed, 99) <= targets.relayP99Ms ? "met" : "MISSED"}`,
    );
  },
};

export default suite;
