/**
 * A craft job's streaming cost: a provider streams an answer of many small chunks; the job writes
 * them as `provider-chunk` events (batched) into a real SQLite store on a temporary GROMPT_HOME,
 * while a follower (what `grompt craft` and SSE use) reads them back. Baseline, same run: the naive
 * way — one event written per chunk. Figures: events written, job time, and the delay from a chunk
 * leaving the provider to the follower seeing it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Container, createContainer } from "../../src/app/container";
import { createCraftJobHandler } from "../../src/app/craft/craft-job-handler";
import { createCraftJob } from "../../src/app/craft/create-craft-job";
import type { ResolvedProvider } from "../../src/app/providers/provider-service";
import type { JobHandler } from "../../src/app/runner/job-handler";
import type { StorePort } from "../../src/core/ports/store-port";
import type { BenchSuite } from "../run";

const chunks = Number(process.env.BENCH_CHUNKS ?? 2_000);
const pacedGapMs = 1;

/** Streams `chunks` words, either as fast as possible or with a gap between them, noting when each left. */
function streamingProvider(gapMs: number, sentAt: number[]): ResolvedProvider {
  return {
    name: "bench",
    id: "openai",
    model: "bench",
    generate: async () => ({ text: "", provider: "openai", model: "bench" }),
    async *stream(_input, _options, call) {
      for (let i = 0; i < chunks; i += 1) {
        if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
        sentAt.push(performance.now());
        yield `w${String(i).padStart(5, "0")} `;
      }
      call?.onEvent?.({ type: "provider-call-finished", result: { text: "", provider: "openai", model: "bench", usage: { prompt: 100, completion: chunks, total: 100 + chunks }, costMicros: 0 }, latencyMs: 0 });
    },
  };
}

/** The naive handler: every chunk is its own event write. */
const unbatched: MakeHandler = (provider) => async (ctx) => {
  await ctx.advance("prompting");
  for await (const text of provider.stream!({ user: "x" }, {}, { signal: ctx.signal })) await ctx.emit({ type: "provider-chunk", callId: "c", text });
  return { result: {} };
};

type MakeHandler = (provider: ResolvedProvider, container: Container, store: StorePort) => JobHandler;

/** The real craft handler over the container's prompts, store and blobs, with the benchmark's provider. */
const craftHandler: MakeHandler = (provider, container, store) =>
  createCraftJobHandler({ config: container.config, prompts: container.prompts, providers: { resolve: async () => provider }, blobs: container.blobs, store });

async function measure(label: string, gapMs: number, makeHandler: MakeHandler) {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-craft-"));
  const container = createContainer({ cwd: dir, env: { GROMPT_HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "xdg"), OPENAI_BASE_URL: "http://127.0.0.1:9/v1" } });
  try {
    const sentAt: number[] = [];
    const provider = streamingProvider(gapMs, sentAt);
    const runner = await container.runner({ handlers: { craft: makeHandler(provider, container, await container.store()) }, pollMs: 20 });
    const jobs = await container.jobs();
    const { job } = await createCraftJob({ ideas: ["bench"] }, { jobs, providers: container.providers });
    const started = performance.now();
    await runner.start();
    const delays: number[] = [];
    let received = 0;
    let events = 0;
    for await (const { event } of jobs.follow(job.id)) {
      if (event.type !== "provider-chunk") continue;
      events += 1;
      const now = performance.now();
      // Each chunk is 7 characters: the event's text covers chunks [received, received + n).
      const count = event.text.length / 7;
      for (let i = 0; i < count; i += 1) delays.push(now - (sentAt[received + i] ?? now));
      received += count;
    }
    const totalMs = performance.now() - started;
    await runner.stop();
    delays.sort((a, b) => a - b);
    const at = (p: number) => (delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN).toFixed(1).padStart(6);
    console.log(`${label.padEnd(36)} ${String(events).padStart(5)} events   job ${totalMs.toFixed(0).padStart(5)} ms   chunk→follower p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  max ${at(1)} ms`);
    return { events, totalMs };
  } finally {
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  title: `a ${chunks}-chunk craft answer into job events (batched) vs. one event per chunk`,
  async run() {
    for (const [pace, gap] of [["burst", 0], [`paced ${pacedGapMs} ms`, pacedGapMs]] as const) {
      const base = await measure(`baseline: 1 event/chunk, ${pace}`, gap, unbatched);
      const ours = await measure(`craft job, ${pace}`, gap, craftHandler);
      console.log(`  → ${(base.events / ours.events).toFixed(0)}× fewer event writes, job time ×${(ours.totalMs / base.totalMs).toFixed(2)}\n`);
    }
  },
};

export default suite;
