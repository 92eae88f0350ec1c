/**
 * Provider layer overhead: the same request through the bare OpenAI SDK and through grompt's
 * provider layer (adapter + policy: timeout guard, retries, cost, events), both against the same
 * loopback fake server, interleaved so both see the same noise. Target: ratio ≤ 1.05.
 * Both sides are warmed up (500 calls) first so the JIT has optimised them.
 * Response cache hits: a policy-wrapped provider answering from the SQLite cache. Target: p99 < 5 ms.
 *
 *   npm run bench providers [-- --calls=1000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { createSqliteCache } from "../../src/adapters/cache/sqlite/sqlite-cache";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { configSchema } from "../../src/app/config/config-schema";
import { createProviderService } from "../../src/app/providers/provider-service";
import { startFakeServer } from "../../test/fakes/fake-server";
import type { BenchSuite } from "../run";

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
};
const ms = (value: number) => `${value.toFixed(3)} ms`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const suite: BenchSuite = {
  title: "provider layer vs the bare OpenAI SDK (same fake server), and response cache hit latency",
  async run(args) {
    const calls = Number(args.find((a) => a.startsWith("--calls="))?.split("=")[1] ?? 1000);
    const fake = await startFakeServer("openai");
    const dir = mkdtempSync(join(tmpdir(), "grompt-bench-providers-"));
    try {
      const config = configSchema.parse({ providers: { openai: { apiKey: "test-key", baseUrl: fake.baseUrl } }, cache: { enabled: false } });
      const layered = await createProviderService({ config }).resolve();
      const bare = new OpenAI({ apiKey: "test-key", baseURL: fake.baseUrl, maxRetries: 0 });
      const body = { model: "gpt-4.1-mini", messages: [{ role: "user" as const, content: "bench" }] };

      const bareGenerate = () => bare.chat.completions.create(body);
      const layeredGenerate = () => layered.generate({ user: "bench" });
      const bareStream = async () => {
        for await (const _ of await bare.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }));
      };
      const layeredStream = async () => {
        for await (const _ of layered.stream!({ user: "bench" }));
      };

      console.log(`${calls} calls each, interleaved, against a loopback fake in this process (node ${process.version}).`);
      console.log("The target is judged on medians: means on a shared machine swing with other processes.\n");
      console.log("| call | bare SDK p50 | layer p50 | added p50 | ratio p50 | target | bare mean | layer mean | ratio mean |");
      console.log("|---|---|---|---|---|---|---|---|---|");
      for (const [name, baseline, subject] of [
        ["generate", bareGenerate, layeredGenerate],
        ["stream", bareStream, layeredStream],
      ] as const) {
        for (let i = 0; i < 500; i += 1) {
          await baseline();
          await subject();
        }
        const base: number[] = [];
        const ours: number[] = [];
        for (let i = 0; i < calls; i += 1) {
          // Alternate which goes first so neither always pays for a cold connection or a GC pause.
          if (i % 2 === 0) {
            base.push(await timed(baseline));
            ours.push(await timed(subject));
          } else {
            ours.push(await timed(subject));
            base.push(await timed(baseline));
          }
        }
        const b = stats(base);
        const o = stats(ours);
        const ratio = o.p50 / b.p50;
        console.log(
          `| ${name} | ${ms(b.p50)} | ${ms(o.p50)} | ${((o.p50 - b.p50) * 1000).toFixed(0)} µs | ${ratio.toFixed(3)} | ≤ 1.05 ${ratio <= 1.05 ? "✓" : "✗"} | ${ms(b.mean)} | ${ms(o.mean)} | ${(o.mean / b.mean).toFixed(3)} |`,
        );
      }

      const handle = await openSqliteDatabase(join(dir, "grompt.db"));
      try {
        const cached = await createProviderService({
          config: configSchema.parse({ providers: { openai: { apiKey: "test-key", baseUrl: fake.baseUrl } } }),
          openCache: async () => createSqliteCache(handle.raw, { maxEntries: 5_000 }),
        }).resolve();
        await cached.generate({ user: "cache me" });
        const hits: number[] = [];
        for (let i = 0; i < Math.max(1_000, calls * 5); i += 1) hits.push(await timed(() => cached.generate({ user: "cache me" })));
        const h = stats(hits);
        const roundTrips: number[] = [];
        for (let i = 0; i < 200; i += 1) roundTrips.push(await timed(bareGenerate));
        const miss = stats(roundTrips);
        console.log(`\n| cache hit (${hits.length} calls) | p50 | p90 | p99 | target | bare SDK round trip on loopback (p50) |`);
        console.log("|---|---|---|---|---|---|");
        console.log(`| generate from SQLite cache | ${ms(h.p50)} | ${ms(h.p90)} | ${ms(h.p99)} | p99 < 5 ms ${h.p99 < 5 ? "✓" : "✗"} | ${ms(miss.p50)} |`);
      } finally {
        await handle.close();
      }
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
