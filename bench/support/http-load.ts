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
}

export async function load(url: string, options: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; duration: number }): Promise<Load> {
  const result = await autocannon({ url, connections, duration: options.duration, method: options.method, headers: options.headers, body: options.body });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, requests: result.requests.total, non2xx: result.non2xx + result.errors + result.timeouts };
}

/**
 * Open-loop load at an even pace — request i leaves at start + i/rate whatever the answers do — over
 * at most 50 keep-alive connections; latency is measured per request from the moment it left.
 * (autocannon's own rate mode releases each second's budget in a burst.)
 */
export async function paced(url: string, options: { rate: number; seconds: number; headers: Record<string, string>; body: string }): Promise<Load> {
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
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), rps: (latencies.length * 1000) / (performance.now() - started), requests: latencies.length, non2xx: failed };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

