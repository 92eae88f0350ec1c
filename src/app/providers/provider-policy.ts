import { GromptError, toGromptError } from "../../core/domain/errors";
import type { CachedAnswer } from "../../core/ports/cache-port";
import type { GenInput, GenOptions, GenResult, ModelProvider, ProviderCall } from "../../core/ports/provider-port";
import { abortableSleep, createAttemptGuard } from "./attempt-guard";
import { type CallBook, emit, failCall, finishCall, finishFromCache, inCallContext, logCall, lookupCache, openCallBook } from "./call-bookkeeping";
import type { PolicyDeps } from "./policy-settings";
import { retryDelay } from "./retry-delay";
import { abandonCall, mayReserve, reserveCall } from "./usage-reservation";

/**
 * The one policy every provider runs under, whatever the vendor (DESIGN §8): response cache,
 * usage limits (daily cost quota, tokens per minute) reserved before the call and settled after it,
 * chaos 429s before the network, per-attempt timeout, cancellation, retries of retryable failures
 * with backoff honouring Retry-After (a stream only before its first chunk), cost, usage ledger,
 * events and logs. The result is a ModelProvider again, so callers never know it is there.
 */
export function withProviderPolicy(inner: ModelProvider, policyDeps: PolicyDeps): ModelProvider {
  // One "unknown price" warning per model for the life of this provider, unless the caller shares a set.
  const deps: PolicyDeps = { ...policyDeps, warnedUnpriced: policyDeps.warnedUnpriced ?? new Set<string>() };
  const { settings } = deps;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? abortableSleep;

  /** Turns whatever ended an attempt into the error the caller sees. */
  const failureOf = (error: unknown, timedOut: boolean, caller: AbortSignal | undefined): GromptError => {
    if (caller?.aborted === true) {
      return new GromptError("canceled", `${inner.id}: the call was canceled`, { retryable: false, cause: error, details: { provider: inner.id } });
    }
    if (timedOut) {
      return new GromptError("timeout", `${inner.id}: no answer within ${settings.timeoutMs} ms`, {
        retryable: true,
        hint: "Raise request.timeoutMs (20000–600000) or send a smaller prompt.",
        cause: error,
        details: { provider: inner.id, timeoutMs: settings.timeoutMs },
      });
    }
    return toGromptError(error);
  };

  const chaos = (): GromptError | undefined =>
    settings.chaos429 > 0 && random() < settings.chaos429
      ? new GromptError("rate_limited", `${inner.id} 429: simulated rate limit (chaos, request.chaos429=${settings.chaos429})`, {
          retryable: true,
          details: { provider: inner.id, status: 429, chaos: true },
        })
      : undefined;

  /** Waits before the next attempt, or says there is none. */
  const mayRetry = async (failure: GromptError, attempt: number, book: CallBook, call: ProviderCall): Promise<boolean> => {
    if (!failure.retryable || attempt >= settings.maxAttempts) return false;
    const retryAfterMs = typeof failure.details?.retryAfterMs === "number" ? failure.details.retryAfterMs : undefined;
    const delayMs = retryDelay({ attempt, retryAfterMs, baseDelayMs: settings.baseDelayMs, maxRetryDelayMs: settings.maxRetryDelayMs, random });
    const status = typeof failure.details?.status === "number" ? failure.details.status : undefined;
    emit(book, { type: "provider-retried", attempt: attempt + 1, delayMs, code: failure.code, ...(status === undefined ? {} : { status }) });
    deps.metering?.providerRetried({ provider: inner.id, model: inner.model, code: failure.code });
    logCall(book, "warn", { attempt, delayMs, code: failure.code, status, reason: failure.message }, "provider call failed; retrying");
    try {
      await sleep(delayMs, call.signal);
    } catch (error) {
      throw failureOf(error, false, call.signal);
    }
    return true;
  };

  /**
   * A cache hit, or the reservation of the call's estimated usage; a failure here ends the call's
   * span. Synchronous (no promise) when the cache answers at once and no limit applies.
   */
  const prepare = (book: CallBook, input: GenInput, options: GenOptions | undefined): CachedAnswer | undefined | Promise<CachedAnswer | undefined> => {
    const hit = book.readCache ? lookupCache(book) : undefined;
    if (hit instanceof Promise || (hit === undefined && mayReserve(book))) return prepareLater(book, hit, { input, options });
    return hit;
  };
  const prepareLater = async (book: CallBook, lookup: Promise<CachedAnswer | undefined> | undefined, request: { input: GenInput; options?: GenOptions }) => {
    try {
      const hit = await lookup;
      if (hit === undefined && mayReserve(book)) await reserveCall(book, request);
      return hit;
    } catch (error) {
      failCall(book, error);
      throw error;
    }
  };

  const generate = async (input: GenInput, options: GenOptions | undefined, call: ProviderCall = {}): Promise<GenResult> => {
    const book = openCallBook(inner, deps, { input, options, call });
    const prepared = prepare(book, input, options);
    const hit = prepared instanceof Promise ? await prepared : prepared;
    if (hit !== undefined) return finishFromCache(book, hit);
    for (let attempt = 1; ; attempt += 1) {
      if (call.signal?.aborted === true) return giveUp(book, failureOf(call.signal.reason, false, call.signal), { inFlight: false });
      const guard = createAttemptGuard(call.signal, settings.timeoutMs);
      let inFlight = false;
      try {
        const simulated = chaos();
        if (simulated !== undefined) throw simulated;
        inFlight = true;
        const result = await guard.race(inCallContext(book, () => inner.generate(input, options, { ...call, signal: guard.signal, onEvent: undefined })));
        inFlight = false;
        const settled = finishCall(book, result, attempt);
        return settled instanceof Promise ? await settled : settled;
      } catch (error) {
        const failure = failureOf(error, guard.timedOut, call.signal);
        const retry = await mayRetry(failure, attempt, book, call).catch((stopped: unknown) => giveUp(book, stopped, { inFlight: false }));
        if (!retry) return giveUp(book, failure, { inFlight });
      } finally {
        guard.dispose();
      }
    }
  };

  async function* stream(input: GenInput, options: GenOptions | undefined, call: ProviderCall = {}): AsyncGenerator<string> {
    const book = openCallBook(inner, deps, { input, options, call });
    const prepared = prepare(book, input, options);
    const hit = prepared instanceof Promise ? await prepared : prepared;
    if (hit !== undefined) {
      for (const chunk of hit.chunks ?? [hit.result.text]) yield chunk;
      await finishFromCache(book, hit);
      return;
    }
    const chunks: string[] = [];
    let ended = false;
    try {
      for (let attempt = 1; ; attempt += 1) {
        if (call.signal?.aborted === true) {
          ended = true;
          return await giveUp(book, failureOf(call.signal.reason, false, call.signal), { inFlight: false });
        }
        const guard = createAttemptGuard(call.signal, settings.timeoutMs);
        let reported: GenResult | undefined;
        let iterator: AsyncIterator<string> | undefined;
        let completed = false;
        let inFlight = false;
        try {
          const simulated = chaos();
          if (simulated !== undefined) throw simulated;
          const innerCall: ProviderCall = {
            ...call,
            signal: guard.signal,
            onEvent: (event) => {
              if (event.type === "provider-call-finished") reported = event.result;
            },
          };
          const source = (inner.stream === undefined ? generateAsStream(inner, input, options, innerCall) : inner.stream(input, options, innerCall))[
            Symbol.asyncIterator
          ]();
          iterator = source;
          inFlight = true;
          for (;;) {
            const next = await guard.race(inCallContext(book, () => source.next()));
            if (next.done === true) break;
            chunks.push(next.value);
            guard.pause();
            yield next.value;
            guard.touch();
          }
          completed = true;
        } catch (error) {
          const failure = failureOf(error, guard.timedOut, call.signal);
          // Once the caller has seen a chunk, a retry would repeat text: the stream fails instead.
          const retry = chunks.length === 0 && (await mayRetry(failure, attempt, book, call).catch((stopped: unknown) => stopped));
          if (retry === true) continue;
          ended = true;
          return await giveUp(book, retry === false ? failure : retry, { inFlight: retry === false && inFlight, receivedText: chunks.join("") });
        } finally {
          if (!completed) {
            guard.abandon();
            // Not awaited: an adapter stuck in an await would hold the caller; the abort frees it later.
            void iterator?.return?.().catch(() => undefined);
          }
          guard.dispose();
        }
        const text = chunks.join("");
        const result: GenResult = reported === undefined ? { text, provider: inner.id, model: inner.model } : { ...reported, text };
        ended = true;
        await finishCall(book, result, attempt, chunks);
        return;
      }
    } finally {
      // The reader stopped early (break, return): the vendor worked for what was streamed so far.
      if (!ended) {
        await abandonCall(book, { vendorMayHaveWorked: true, receivedText: chunks.join("") });
        failCall(book, new GromptError("canceled", "the reader stopped before the end of the stream"));
      }
    }
  }

  return { id: inner.id, model: inner.model, endpoint: inner.endpoint, billable: inner.billable, generate, stream };
}

/**
 * Ends a call that will not be retried: its usage is settled by estimate or released, its span
 * records the failure, and the failure is thrown.
 */
async function giveUp(book: CallBook, failure: unknown, attempt: { inFlight: boolean; receivedText?: string }): Promise<never> {
  // An abort (cancel, timeout) cut a request the vendor may already have been working on.
  const code = failure instanceof GromptError ? failure.code : undefined;
  const vendorMayHaveWorked = attempt.inFlight && (code === "canceled" || code === "timeout");
  await abandonCall(book, { vendorMayHaveWorked, receivedText: attempt.receivedText ?? "" });
  failCall(book, failure);
  throw failure;
}

/** Providers without `stream` still stream: the whole answer as one chunk, usage reported as for streams. */
async function* generateAsStream(inner: ModelProvider, input: GenInput, options: GenOptions | undefined, call: ProviderCall): AsyncGenerator<string> {
  const started = performance.now();
  const result = await inner.generate(input, options, call);
  if (result.text !== "") yield result.text;
  call.onEvent?.({ type: "provider-call-finished", result, latencyMs: performance.now() - started });
}
