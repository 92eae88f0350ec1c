import { normalizeRequest, requestKey } from "../../adapters/providers/shared/request-key";
import type { CachedAnswer } from "../../core/ports/cache-port";
import type { OpenSpan } from "../../core/ports/metering-port";
import type { GenInput, GenOptions, GenResult, GenUsage, ModelProvider, ProviderCall, ProviderCallEvent } from "../../core/ports/provider-port";
import type { UsageEntry } from "../../core/ports/store-port";
import { ulidFactory } from "../ids/ulid-factory";
import { describeRequest } from "../logging/describe-request";
import { afterAnswer } from "./after-answer";
import type { PolicyDeps } from "./policy-settings";
import { type CallReservation, exceedsReservation, flushUsage, releaseReservation } from "./usage-reservation";

/**
 * One call's identity and cache key. Plain data with module functions rather than closures: the
 * book is made on every call, and the policy must cost next to nothing beside the vendor's answer.
 */
export interface CallBook {
  callId: string;
  /** The call's ids, first on every line logged about it (see `logCall`). */
  logFields: Record<string, unknown>;
  started: number;
  /** Set when the answer may be read from / written to the response cache. */
  cacheKey?: string;
  /** False when the cache is off, the provider is a stand-in, or the call said noCache. */
  readCache: boolean;
  call: ProviderCall;
  inner: ModelProvider;
  deps: PolicyDeps;
  /** The estimate held against the usage limits until the call settles. */
  reservation?: CallReservation;
  /** The call's trace span, ended when the call settles or fails. */
  span?: OpenSpan;
  /** The fields `inCallContext` puts on every line, made once per call (a stream enters the context per chunk). */
  contextFields?: Record<string, unknown>;
}

/** Call ids are ULIDs (sortable by time). */
const nextCallId = ulidFactory();

export function openCallBook(inner: ModelProvider, deps: PolicyDeps, request: { input: GenInput; options?: GenOptions; call: ProviderCall }): CallBook {
  const { call } = request;
  const callId = call.callId ?? deps.newCallId?.() ?? nextCallId();
  const logFields: Record<string, unknown> = { provider_call_id: callId };
  if (call.jobId) logFields.job_id = call.jobId;
  if (call.sessionId) logFields.session_id = call.sessionId;
  const cacheKey =
    deps.cache !== undefined && inner.billable !== false
      ? requestKey(normalizeRequest({ provider: inner.id, model: inner.model, input: request.input, options: request.options, endpoint: inner.endpoint }))
      : undefined;
  const book: CallBook = { callId, logFields, started: performance.now(), cacheKey, readCache: cacheKey !== undefined && call.noCache !== true, call, inner, deps };
  // Hashing the prompt for a line nobody reads would cost more than the rest of the bookkeeping.
  if (deps.logger !== undefined && deps.logger.isLevelEnabled?.("debug") !== false) {
    logCall(book, "debug", describeRequest(inner, request.input, deps.settings.logPrompts === true), "provider call started");
  }
  book.span = deps.metering?.startSpan("provider.call", {
    "grompt.provider": inner.id,
    "grompt.model": inner.model,
    "grompt.provider_call_id": callId,
    ...(call.jobId === undefined ? {} : { "grompt.job_id": call.jobId }),
  }, { kind: "client" });
  return book;
}

/**
 * Logs a line about the call, its ids first — as a child logger bound to them would, without
 * making one per call.
 */
export function logCall(book: CallBook, level: "debug" | "info" | "warn" | "error", fields: Record<string, unknown>, message: string): void {
  book.deps.logger?.[level]({ ...book.logFields, ...fields }, message);
}

/**
 * Runs part of a call with its ids on every log line written meanwhile — the SDKs' own lines and
 * the adapters' included, which know nothing of the call.
 */
export function inCallContext<T>(book: CallBook, work: () => T): T {
  const withFields = book.deps.logger?.withFields;
  if (withFields === undefined) return work();
  let fields = book.contextFields;
  if (fields === undefined) {
    fields = { provider_call_id: book.callId };
    if (book.call.jobId !== undefined) fields.job_id = book.call.jobId;
    book.contextFields = fields;
  }
  return withFields(fields, work);
}

/** The call failed: its span says why. */
export function failCall(book: CallBook, error: unknown): void {
  book.span?.recordError(error);
  book.span?.end();
}

export function emit(book: CallBook, event: ProviderCallEvent): void {
  book.call.onEvent?.(event);
}

/**
 * A cached answer for this request, or undefined (an unreadable cache counts as a miss) — without a
 * promise when the cache can answer synchronously (the SQLite one, once open).
 */
export function lookupCache(book: CallBook): CachedAnswer | undefined | Promise<CachedAnswer | undefined> {
  const { cache } = book.deps;
  if (!book.readCache || book.cacheKey === undefined || cache === undefined) return undefined;
  let now: { answer: CachedAnswer | undefined } | undefined;
  try {
    now = cache.getNow?.(book.cacheKey);
  } catch (error) {
    return looked(book, undefined, error);
  }
  if (now !== undefined) return looked(book, now.answer);
  return cache.get(book.cacheKey).then(
    (answer) => looked(book, answer),
    (error: unknown) => looked(book, undefined, error ?? new Error("the response cache failed")),
  );
}

function looked(book: CallBook, answer: CachedAnswer | undefined, error?: unknown): CachedAnswer | undefined {
  if (error !== undefined) logCall(book, "warn", { err: error }, "response cache unreadable; calling the provider");
  book.deps.metering?.cacheLookup(answer !== undefined);
  if (answer !== undefined) emit(book, { type: "provider-cache-hit", key: book.cacheKey as string });
  return answer;
}

/** Ends the call with a cached answer: it cost nothing. */
export function finishFromCache(book: CallBook, answer: CachedAnswer): GenResult | Promise<GenResult> {
  return settle(book, { ...answer.result, cached: true, costMicros: 0, callId: book.callId }, true);
}

/**
 * Ends the call with a fresh answer; streams pass their chunks so a later hit replays them. The
 * answer's result is returned at once when nothing on the way needs waiting for (the cache stores
 * and the ledger queues synchronously once open), else a promise of it.
 */
export function finishCall(book: CallBook, result: GenResult, attempts: number, chunks?: string[]): GenResult | Promise<GenResult> {
  const { deps, cacheKey } = book;
  const final: GenResult = { ...result, cached: false, costMicros: costOf(book, result), callId: book.callId };
  if (cacheKey !== undefined && deps.cache !== undefined) {
    const stored: GenResult = { text: result.text, provider: result.provider, model: result.model };
    if (result.usage !== undefined) stored.usage = result.usage;
    if (result.finishReason !== undefined) stored.finishReason = result.finishReason;
    // Not awaited: the adapters take the answer synchronously (a later lookup sees it), and a lazily
    // opened cache stores it before any later lookup runs. A failure is logged, never the caller's.
    try {
      deps.cache.set(cacheKey, chunks === undefined ? { result: stored } : { result: stored, chunks }, deps.settings.cacheTtlMs).catch((error: unknown) => notStored(book, error));
    } catch (error) {
      notStored(book, error);
    }
  }
  if (attempts > 1) logCall(book, "debug", { attempts }, "provider call succeeded after retries");
  return settle(book, final, false);
}

const notStored = (book: CallBook, error: unknown) => logCall(book, "warn", { err: error }, "could not store the answer in the response cache");

/**
 * Ledger, metrics, the finished event and the log line: what every call ends with. Only the event
 * is emitted before the answer is handed back; the rest is queued (ledger write-behind, after-answer).
 */
function settle(book: CallBook, result: GenResult, cached: boolean): GenResult | Promise<GenResult> {
  const { deps, call } = book;
  const usage = result.usage ?? { prompt: 0, completion: 0, total: 0 };
  if (deps.recordUsage === undefined) return book.reservation === undefined ? finish(book, result, cached, usage) : afterLedger(book, result, cached, undefined);
  const entry: UsageEntry = {
    callId: book.callId,
    jobId: call.jobId,
    scope: call.scope ?? deps.defaultScope ?? "cli",
    provider: result.provider,
    model: result.model,
    usage,
    costMicros: result.costMicros ?? null,
    cached,
    status: "settled",
    ts: (deps.clock?.() ?? new Date()).toISOString(),
  };
  const viaSettle = book.reservation !== undefined && deps.settleUsage !== undefined;
  let written: Promise<void> | void;
  try {
    // With the container's write-behind ledger this queues the entry synchronously (written after
    // this turn, in one transaction with the turn's other entries, flushed on close and exit); the
    // reservation stays until then, so the limits keep counting the call — at once when it spent
    // more than held.
    written = viaSettle ? (deps.settleUsage as NonNullable<typeof deps.settleUsage>)(entry) : deps.recordUsage(entry);
  } catch (error) {
    return afterLedger(book, result, cached, { entry, viaSettle: false }, error);
  }
  if (written !== undefined) {
    return written.then(
      () => afterLedger(book, result, cached, { entry, viaSettle }),
      (error: unknown) => afterLedger(book, result, cached, { entry, viaSettle: false }, error ?? new Error("the ledger write failed")),
    );
  }
  return afterLedger(book, result, cached, { entry, viaSettle });
}

/** After the ledger took (or failed to take) the entry: the reservation is settled, released or flushed. */
function afterLedger(
  book: CallBook,
  result: GenResult,
  cached: boolean,
  ledger: { entry: UsageEntry; viaSettle: boolean } | undefined,
  error?: unknown,
): GenResult | Promise<GenResult> {
  const usage = result.usage ?? { prompt: 0, completion: 0, total: 0 };
  // The answer is already paid for; losing it over a ledger write would be worse.
  if (error !== undefined) logCall(book, "error", { err: error }, "could not record provider usage");
  const reservation = book.reservation;
  if (ledger?.viaSettle === true) book.reservation = undefined;
  const mustFlush = reservation !== undefined && ledger !== undefined && exceedsReservation(reservation, ledger.entry);
  if (!mustFlush && book.reservation === undefined) return finish(book, result, cached, usage);
  return (async () => {
    if (mustFlush) await flushUsage(book);
    if (book.reservation !== undefined) await releaseReservation(book);
    return finish(book, result, cached, usage);
  })();
}

/** The span, the finished event, and (after the answer) metrics and the log line. */
function finish(book: CallBook, result: GenResult, cached: boolean, usage: GenUsage): GenResult {
  const { deps } = book;
  book.span?.setAttributes({
    "grompt.cached": cached,
    "grompt.tokens.prompt": usage.prompt,
    "grompt.tokens.completion": usage.completion,
    ...(typeof result.costMicros === "number" ? { "grompt.cost_micros": result.costMicros } : {}),
  });
  book.span?.end();
  const latencyMs = Math.round(performance.now() - book.started);
  emit(book, { type: "provider-call-finished", result, latencyMs });
  afterAnswer(() => {
    if (!cached && deps.metering !== undefined) {
      deps.metering.tokensUsed({ provider: result.provider, model: result.model }, usage);
      if (typeof result.costMicros === "number") deps.metering.costIncurred({ provider: result.provider, model: result.model }, result.costMicros / 10_000);
    }
    logCall(
      book,
      "info",
      { provider: result.provider, model: result.model, usage: result.usage, costMicros: result.costMicros, cached, latencyMs, finishReason: result.finishReason },
      "provider call finished",
    );
  });
  return result;
}

function costOf(book: CallBook, result: GenResult): number | null {
  const { inner, deps } = book;
  // A stand-in (replay) spent nothing.
  if (inner.billable === false) return 0;
  const cost = deps.prices.costMicros(inner.id, inner.model, result.usage) ?? deps.prices.costMicros(inner.id, result.model, result.usage);
  if (cost === null) {
    const name = `${inner.id}:${inner.model}`;
    const why = result.usage === undefined ? "the provider reported no token usage" : "the model has no price";
    const warned = deps.warnedUnpriced;
    if (warned === undefined || !warned.has(`${name}:${why}`)) {
      warned?.add(`${name}:${why}`);
      logCall(book, "warn", { provider: inner.id, model: inner.model }, `cost unknown for ${name}: ${why} (add it under \`prices\` in the config)`);
    }
  }
  return cost;
}
