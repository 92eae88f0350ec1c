/**
 * `grompt serve` under load. autocannon (50 connections) against POST /v1/jobs/craft (instant
 * handler: the runner drains the jobs meanwhile, in the daemon's process) and GET /v1/jobs/:id,
 * next to a bare fastify server answering the same routes with constants in the same process.
 * Then SSE relay latency — from just before a job event is appended to the store until an SSE
 * client has parsed it — next to a bare loopback HTTP chunk's write-to-read latency.
 * Targets: create p99 ≤ 10 ms; relay p99 ≤ 2 ms.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { startDaemon } from "../../src/server/start-daemon";
import type { BenchSuite } from "../run";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 50;
const relayEvents = Number(process.env.BENCH_RELAY_EVENTS ?? 2_000);
const targets = { createP99Ms: 10, relayP99Ms: 2 };

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

const line = (label: string, subject: Load, floor: Load) =>
  `${label.padEnd(22)} p50 ${String(subject.p50).padStart(3)} ms  p99 ${String(subject.p99).padStart(3)} ms  ${subject.rps.toFixed(0).padStart(6)} req/s` +
  `   (bare fastify: p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.rps.toFixed(0)} req/s)` +
  (subject.non2xx > 0 ? `  ${subject.non2xx} non-2xx!` : "");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function httpLoad(): Promise<Load> {
  // Plain node with tsx's loader: no tsx launcher in between to relay (and re-raise) signals.
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "support", "serve-bench-daemon.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const { url, token, bareUrl } = JSON.parse(first) as { url: string; token: string; bareUrl: string };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const body = JSON.stringify({ ideas: ["a command-line tool that converts CSV to JSON"], purpose: "code" });
  try {
    // Warm-up: JIT, SQLite page cache, SDK import on first provider resolution.
    await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body, duration: 2 });
    await load(`${bareUrl}/v1/jobs/craft`, { method: "POST", headers, body, duration: 2 });
    const bareCreate = await load(`${bareUrl}/v1/jobs/craft`, { method: "POST", headers, body });
    const create = await load(`${url}/v1/jobs/craft`, { method: "POST", headers, body });
    const created = (await (await fetch(`${url}/v1/jobs/craft`, { method: "POST", headers, body })).json()) as { id: string };
    const bareGet = await load(`${bareUrl}/v1/jobs/${created.id}`, { method: "GET", headers });
    const get = await load(`${url}/v1/jobs/${created.id}`, { method: "GET", headers });
    console.log(`${connections} connections, ${seconds} s each; daemon and bare server in one child process, autocannon here\n`);
    console.log(line("POST /v1/jobs/craft", create, bareCreate));
    console.log(line("GET  /v1/jobs/:id", get, bareGet));
    console.log(`  (${create.requests} craft jobs created and run by the daemon's runner during the POST run)`);
    return create;
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

/** Event append → SSE client, one event in flight at a time, in one process. */
async function relay(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-relay-"));
  const container = createContainer({
    cwd: dir,
    env: { GROMPT_HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "xdg"), GROMPT_LOG_LEVEL: "warn", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
  });
  const sentAt: number[] = [];
  let next: (() => void) | undefined;
  const handler: JobHandler = async (ctx) => {
    await ctx.advance("prompting");
    for (let i = 0; i < relayEvents; i += 1) {
      await new Promise<void>((resolve) => (next = resolve));
      sentAt[i] = performance.now();
      await ctx.emit({ type: "job-progressed", step: "relay", message: String(i) });
    }
    return { result: {} };
  };
  const token = "bench-token-0123456789abcdef";
  const daemon = await startDaemon(container, { host: "127.0.0.1", port: 0, token, roots: [dir], corsOrigins: [], handlers: { craft: handler }, blobs: container.blobs, version: "bench" });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  try {
    const job = (await (await fetch(`${daemon.url}/v1/jobs/craft`, { method: "POST", headers, body: JSON.stringify({ ideas: ["relay"] }) })).json()) as { id: string };
    const latencies: number[] = [];
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
            latencies.push(performance.now() - (sentAt[index] as number));
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
    return latencies;
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
    const create = process.env.BENCH_SKIP_HTTP === "1" ? { p50: 0, p99: 0, rps: 0, requests: 0, non2xx: 0 } : await httpLoad();
    const floor = [...(await bareRelay())].sort((a, b) => a - b);
    const relayed = [...(await relay())].sort((a, b) => a - b);
    const p = (sorted: number[], q: number) => percentile(sorted, q).toFixed(3);
    if (process.env.BENCH_DEBUG === "1") console.log("relay p90/p95/p98/p99.5/max", p(relayed, 90), p(relayed, 95), p(relayed, 98), p(relayed, 99.5), relayed[relayed.length - 1]?.toFixed(3));
    console.log(
      `\nSSE relay (append → client), ${relayEvents} events   p50 ${p(relayed, 50)} ms  p99 ${p(relayed, 99)} ms` +
        `   (bare loopback write → read: p50 ${p(floor, 50)} ms, p99 ${p(floor, 99)} ms)`,
    );
    const createOk = create.p99 <= targets.createP99Ms && create.non2xx === 0;
    const relayOk = percentile(relayed, 99) <= targets.relayP99Ms;
    console.log(`\ntargets: create p99 ≤ ${targets.createP99Ms} ms ${createOk ? "met" : "MISSED"}; relay p99 ≤ ${targets.relayP99Ms} ms ${relayOk ? "met" : "MISSED"}`);
  },
};

export default suite;
