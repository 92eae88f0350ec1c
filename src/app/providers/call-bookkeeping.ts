import { createHash, randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";
import { normalizeRequest, requestKey } from "../../adapters/providers/shared/request-key";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { CachedAnswer } from "../../core/ports/cache-port";
import type { GenInput, GenOptions, GenResult, ModelProvider, ProviderCall, ProviderCallEvent } from "../../core/ports/provider-port";
import type { PolicyDeps } from "./policy-settings";

/** One call's identity, cache key and the side effects that end it (cost, cache, ledger, events, logs). */
export interface CallBook {
  callId: string;
  logger?: LoggerPort;
  started: number;
  /** Set when the answer may be read from / written to the response cache. */
  cacheKey?: string;
  readCache: boolean;
  emit(event: ProviderCallEvent): void;
  /** A cached answer for this request, or undefined (cache errors count as misses). */
  lookup(): Promise<CachedAnswer | undefined>;
  /** Ends the call with a cached answer. */
  finishFromCache(answer: CachedAnswer): Promise<GenResult>;
  /** Ends the call with a fresh answer; streams pass their chunks so a later hit can replay them. */
  finish(result: GenResult, attempts: number, chunks?: string[]): Promise<GenResult>;
}

/**
 * Call ids are ULIDs (sortable by time). `ulid()` looks up its random source on every call and then
 * draws each of 16 characters with its own crypto call (~35 µs, a measurable share of a loopback
 * call); a factory over a pooled crypto buffer costs ~1 µs.
 */
const nextCallId = monotonicFactory(pooledRandom());

function pooledRandom(): () => number {
  const pool = new Uint8Array(4096);
  let index = pool.length;
  return () => {
    if (index >= pool.length) {
      randomFillSync(pool);
      index = 0;
    }
    return (pool[index++] as number) / 256;
  };
}

export function openCallBook(inner: ModelProvider, deps: PolicyDeps, request: { input: GenInput; options?: GenOptions; call: ProviderCall }): CallBook {
  const { call } = request;
  const callId = call.callId ?? deps.newCallId?.() ?? nextCallId();
  const logger = deps.logger?.child({ provider_call_id: callId, ...(call.jobId ? { job_id: call.jobId } : {}), ...(call.sessionId ? { session_id: call.sessionId } : {}) });
  const cacheable = deps.cache !== undefined && inner.billable !== false;
  const cacheKey = cacheable
    ? requestKey(normalizeRequest({ provider: inner.id, model: inner.model, input: request.input, options: request.options, endpoint: inner.endpoint }))
    : undefined;
  const started = performance.now();
  const emit = (event: ProviderCallEvent) => call.onEvent?.(event);
  const warned = deps.warnedUnpriced ?? new Set<string>();
  logger?.debug(describeRequest(inner, request.input, deps.settings.logPrompts === true), "provider call started");

  const settle = async (result: GenResult, cached: boolean): Promise<GenResult> => {
    const latencyMs = Math.round(performance.now() - started);
    const usage = result.usage ?? { prompt: 0, completion: 0, total: 0 };
    if (deps.recordUsage !== undefined) {
      try {
        await deps.recordUsage({
          callId,
          jobId: call.jobId,
          scope: call.scope ?? deps.defaultScope ?? "cli",
          provider: result.provider,
          model: result.model,
          usage,
          costMicros: result.costMicros ?? null,
          cached,
          status: "settled",
          ts: new Date().toISOString(),
        });
      } catch (error) {
        // The answer is already paid for; losing it over a ledger write would be worse.
        logger?.error({ err: error }, "could not record provider usage");
      }
    }
    if (!cached) {
      deps.metering?.tokensUsed({ provider: result.provider, model: result.model }, usage);
      if (typeof result.costMicros === "number") deps.metering?.costIncurred({ provider: result.provider, model: result.model }, result.costMicros / 10_000);
    }
    emit({ type: "provider-call-finished", result, latencyMs });
    logger?.info(
      { provider: result.provider, model: result.model, usage: result.usage, costMicros: result.costMicros, cached, latencyMs, finishReason: result.finishReason },
      "provider call finished",
    );
    return result;
  };

  return {
    callId,
    logger,
    started,
    cacheKey,
    readCache: cacheKey !== undefined && call.noCache !== true,
    emit,
    async lookup() {
      if (cacheKey === undefined || call.noCache === true || deps.cache === undefined) return undefined;
      let answer: CachedAnswer | undefined;
      try {
        answer = await deps.cache.get(cacheKey);
      } catch (error) {
        logger?.warn({ err: error }, "response cache unreadable; calling the provider");
      }
      deps.metering?.cacheLookup(answer !== undefined);
      if (answer !== undefined) emit({ type: "provider-cache-hit", key: cacheKey });
      return answer;
    },
    finishFromCache: (answer) => settle({ ...answer.result, cached: true, costMicros: 0, callId }, true),
    async finish(result, attempts, chunks) {
      const costMicros = costOf(inner, deps, result, warned, logger);
      const final: GenResult = { ...result, cached: false, costMicros, callId };
      if (cacheKey !== undefined && deps.cache !== undefined) {
        const stored: GenResult = { text: result.text, provider: result.provider, model: result.model };
        if (result.usage !== undefined) stored.usage = result.usage;
        if (result.finishReason !== undefined) stored.finishReason = result.finishReason;
        try {
          await deps.cache.set(cacheKey, chunks === undefined ? { result: stored } : { result: stored, chunks }, deps.settings.cacheTtlMs);
        } catch (error) {
          logger?.warn({ err: error }, "could not store the answer in the response cache");
        }
      }
      if (attempts > 1) logger?.debug({ attempts }, "provider call succeeded after retries");
      return settle(final, false);
    },
  };
}

function costOf(inner: ModelProvider, deps: PolicyDeps, result: GenResult, warned: Set<string>, logger: LoggerPort | undefined): number | null {
  // A stand-in (replay) spent nothing.
  if (inner.billable === false) return 0;
  const cost = deps.prices.costMicros(inner.id, inner.model, result.usage) ?? deps.prices.costMicros(inner.id, result.model, result.usage);
  if (cost === null) {
    const name = `${inner.id}:${inner.model}`;
    const why = result.usage === undefined ? "the provider reported no token usage" : "the model has no price";
    if (!warned.has(`${name}:${why}`)) {
      warned.add(`${name}:${why}`);
      (logger ?? deps.logger)?.warn({ provider: inner.id, model: inner.model }, `cost unknown for ${name}: ${why} (add it under \`prices\` in the config)`);
    }
  }
  return cost;
}

/** What is logged about a request: sizes and a hash, the text itself only when asked for. */
function describeRequest(inner: ModelProvider, input: GenInput, logPrompts: boolean): Record<string, unknown> {
  const text = `${input.system ?? ""}\n${input.user}`;
  const fields: Record<string, unknown> = {
    provider: inner.id,
    model: inner.model,
    promptChars: text.length,
    promptSha256: createHash("sha256").update(text).digest("hex").slice(0, 16),
  };
  if (logPrompts) Object.assign(fields, { system: input.system, user: input.user });
  return fields;
}
