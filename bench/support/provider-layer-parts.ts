/**
 * Where the provider layer's CPU goes, part by part: the policy wrapped around an instant in-process
 * provider (no network, no SDK), then the container's own pieces added one at a time — metrics, the
 * info log line (written once the answer is handed back), the response cache (deferred store, one
 * transaction per call as the bench drains each call), the usage ledger (the settled entry queued,
 * written after the answer in its own transaction, as the container wires it). Each row is CPU per
 * call, the lowest of five blocks, every call followed by one event-loop turn so the deferred writes
 * are counted where they run.
 */
import { createSqliteCache } from "../../src/adapters/cache/sqlite/sqlite-cache";
import { openSqliteDatabase } from "../../src/adapters/store/sqlite/open-database";
import { createUsageLedger } from "../../src/adapters/store/sqlite/usage-ledger";
import type { Container } from "../../src/app/container";
import type { PolicyDeps } from "../../src/app/providers/policy-settings";
import { createPriceBook } from "../../src/app/providers/price-book";
import { withProviderPolicy } from "../../src/app/providers/provider-policy";
import type { GenResult, ModelProvider } from "../../src/core/ports/provider-port";
import { cpuPerCall } from "./cpu-per-call";

export interface LayerPart {
  name: string;
  /** CPU per call this part adds to the rows above it. */
  addedCpuUs: number;
  /** Runs before the answer is handed back (false: after, in the next event-loop turn). */
  onAnswerPath: boolean;
}

/** A provider that answers at once, as the fake server's OpenAI answer would read once mapped. */
const instant: ModelProvider = {
  id: "openai",
  model: "gpt-4.1-mini",
  generate: async (): Promise<GenResult> => ({
    text: "Hello! How can I help you today?",
    provider: "openai",
    model: "gpt-4.1-mini",
    usage: { prompt: 9, completion: 9, total: 18 },
    finishReason: "stop",
  }),
};

/** The vendor end of the path: the bare SDK call and grompt's adapter for it, against the same server. */
export interface VendorCalls {
  bare: (question: number) => Promise<unknown>;
  /** The adapter as the policy calls it: with an abort signal, the SDK's retries off, its timeout set. */
  adapter: (question: number) => Promise<unknown>;
}

export async function measureLayerParts(container: Container, calls: number, vendor: VendorCalls): Promise<LayerPart[]> {
  const { config } = container;
  // A second connection to the container's database, its cache already full (as the bench's is).
  const handle = await openSqliteDatabase(container.paths.database);
  try {
    const cache = createSqliteCache(handle.raw, { maxEntries: config.cache.maxEntries, deferWrites: true });
    const ledger = createUsageLedger(handle).later();
    const base: PolicyDeps = {
      settings: {
        timeoutMs: config.request.timeoutMs,
        maxAttempts: config.request.maxAttempts,
        maxRetryDelayMs: config.request.maxRetryDelayMs,
        chaos429: 0,
        baseDelayMs: 500,
        cacheTtlMs: config.cache.ttlSeconds * 1000,
      },
      prices: createPriceBook(config.prices),
    };
    const steps: { name: string; onAnswerPath: boolean; deps: Partial<PolicyDeps> }[] = [
      { name: "policy: call id, attempt guard, timeout, events, price, span hooks", onAnswerPath: true, deps: {} },
      { name: "metrics (tokens, cost, cache lookups)", onAnswerPath: true, deps: { metering: container.metering } },
      { name: "logs: the per-call logging context, and one info line per call, redacted, to $GROMPT_HOME/logs (written next turn)", onAnswerPath: true, deps: { logger: container.logger } },
      { name: "response cache lookup: request key (sha256 of canonical JSON), SQLite select (and the miss, counted next turn)", onAnswerPath: true, deps: { cache: { ...cache, set: async () => undefined } } },
      { name: "response cache store: deferred, in the turn's one SQLite transaction (insert, expiry sweep, counters; LRU eviction every 1 % of the bound)", onAnswerPath: false, deps: { cache } },
      {
        name: "usage ledger: the settled entry queued, written next turn (one SQLite transaction, WAL)",
        onAnswerPath: false,
        deps: {
          recordUsage: async (entry) => ledger.record(entry),
          settleUsage: async (entry) => ledger.settle(entry),
          releaseReservation: async (callId) => ledger.release(callId),
          flushUsage: () => ledger.flush(),
        },
      },
    ];
    const parts: LayerPart[] = [];
    let deps: PolicyDeps = base;
    let question = 1_000_000_000;
    // The loop itself (a call of the instant provider and one event-loop turn) is no part of the layer.
    let previous = await cpuPerCall((q) => instant.generate({ user: `bench question ${q}` }), { first: question, calls, blocks: 5, warmup: 300 });
    question += 5 * calls + 1_000;
    for (const step of steps) {
      deps = { ...deps, ...step.deps };
      const provider = withProviderPolicy(instant, deps);
      const cpu = await cpuPerCall((q) => provider.generate({ user: `bench question ${q}` }), { first: question, calls, blocks: 5, warmup: 300 });
      question += 5 * calls + 1_000;
      parts.push({ name: step.name, addedCpuUs: cpu - previous, onAnswerPath: step.onAnswerPath });
      previous = cpu;
    }
    await cache.flush?.();
    await ledger.flush();
    // Interleaved blocks, so both see the same load; the lowest of each.
    const bare: number[] = [];
    const adapter: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      bare.push(await cpuPerCall(vendor.bare, { first: question, calls: Math.round(calls / 2), blocks: 5, warmup: 300 }));
      question += 5 * calls;
      adapter.push(await cpuPerCall(vendor.adapter, { first: question, calls: Math.round(calls / 2), blocks: 5, warmup: 300 }));
      question += 5 * calls;
    }
    parts.push({
      name: "OpenAI adapter vs the bare SDK call: request and result mapping, abort signal, per-request timeout",
      addedCpuUs: Math.min(...adapter) - Math.min(...bare),
      onAnswerPath: true,
    });
    return parts;
  } finally {
    await handle.close();
  }
}
