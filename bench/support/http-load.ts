import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import autocannon from "autocannon";

/** Connections every load run keeps open. */
export const connections = 50;

export interface Load {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  /** CPU time (user + system, all threads) the server process spent per answered request, when its pid was given. */
  cpuMsPerRequest?: number;
}

/**
 * CPU time a process has used so far, in ms (Linux /proc; undefined elsewhere). Wall-clock latency
 * on a shared 2-core machine moves with everyone else's load; CPU per request does not.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const perRequest = (pid: number | undefined, before: number | undefined, requests: number): number | undefined => {
  const after = processCpuMs(pid);
  return before === undefined || after === undefined || requests === 0 ? undefined : (after - before) / requests;
};

export async function load(url: string, options: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; duration: number; pid?: number }): Promise<Load> {
  const before = processCpuMs(options.pid);
  const result = await autocannon({ url, connections, duration: options.duration, method: options.method, headers: options.headers, body: options.body });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors + result.timeouts,
    cpuMsPerRequest: perRequest(options.pid, before, result.requests.total),
  };
}

/**
 * Open-loop load at an even pace — request i leaves at start + i/rate whatever the answers do — over
 * at most 50 keep-alive connections; latency is measured per request from the moment it left.
 * (autocannon's own rate mode releases each second's budget in a burst.)
 */
export async function paced(url: string, options: { rate: number; seconds: number; headers: Record<string, string>; body: string; pid?: number }): Promise<Load> {
  const before = processCpuMs(options.pid);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(options.rate * options.seconds);
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
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    rps: (latencies.length * 1000) / (performance.now() - started),
    requests: latencies.length,
    non2xx: failed,
    cpuMsPerRequest: perRequest(options.pid, before, latencies.length),
  };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

