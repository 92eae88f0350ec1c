import { GromptError } from "../../core/domain/errors";
import type { GenInput, GenOptions, GenUsage } from "../../core/ports/provider-port";
import type { UsageLimitCheck, UsageLimitVerdict } from "../../core/ports/store-port";
import { type CallBook, logCall } from "./call-bookkeeping";
import { abortableSleep } from "./attempt-guard";

/** What a call is expected to use, reserved before it is made. */
export interface CallReservation {
  scope: string;
  promptTokens: number;
  completionTokens: number;
  /** The estimate's cost as held against the daily quota (null: unpriced, held as 0). */
  costMicros?: number | null;
}

/** Completion tokens reserved for a call that sets no `maxTokens`. */
export const defaultCompletionReserve = 1_024;
const minuteMs = 60_000;

/** Scopes the tokens-per-minute limit does not apply to: the CLI is one user at a terminal. */
const unlimitedScopes = new Set(["cli"]);

/**
 * A conservative token estimate without running a tokenizer over a large prompt: about one token
 * per three UTF-8 bytes (English runs near four characters a token, code near three and a half,
 * CJK near one character of three bytes).
 */
export const estimatePromptTokens = (input: GenInput): number =>
  Math.ceil((Buffer.byteLength(input.user) + (input.system === undefined ? 0 : Buffer.byteLength(input.system))) / 3);

export const estimateCompletionTokens = (text: string): number => Math.ceil(Buffer.byteLength(text) / 3);

/** Whether any limit could apply to the call (without it, `reserveCall` has nothing to do). */
export const mayReserve = (book: CallBook): boolean =>
  book.deps.settings.limits !== undefined && book.deps.reserveUsage !== undefined && book.inner.billable !== false;

/**
 * Holds the call's estimated usage against the daily cost quota (every scope) and its scope's
 * tokens per minute, in the usage ledger, before the vendor is asked. Over the quota: `quota_exceeded`.
 * Over the per-minute tokens: waits for the window (bounded like a vendor's Retry-After), then
 * `rate_limit_exceeded`. Does nothing when no limit applies.
 */
export async function reserveCall(book: CallBook, request: { input: GenInput; options?: GenOptions }): Promise<void> {
  const { deps, call, inner } = book;
  const limits = deps.settings.limits;
  const reserve = deps.reserveUsage;
  if (limits === undefined || reserve === undefined || inner.billable === false) return;
  const scope = call.scope ?? deps.defaultScope ?? "cli";
  const tokensPerMinute = unlimitedScopes.has(scope) ? undefined : limits.tokensPerMinute;
  if (limits.dailyCostMicros === undefined && tokensPerMinute === undefined) return;

  const reservation: CallReservation = {
    scope,
    promptTokens: estimatePromptTokens(request.input),
    completionTokens: request.options?.maxTokens ?? defaultCompletionReserve,
  };
  const usage = usageOf(reservation.promptTokens, reservation.completionTokens);
  reservation.costMicros = reservationCost(deps, inner, usage);
  if (tokensPerMinute !== undefined && usage.total > tokensPerMinute) {
    throw tokensError({ usedTokens: 0, maxTokens: tokensPerMinute, retryAfterMs: minuteMs }, usage.total, false);
  }
  const sleep = deps.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt += 1) {
    const now = deps.clock?.() ?? new Date();
    const check: UsageLimitCheck = { now: now.toISOString() };
    if (limits.dailyCostMicros !== undefined) check.cost = { since: startOfUtcDay(now).toISOString(), maxCostMicros: limits.dailyCostMicros };
    if (tokensPerMinute !== undefined) check.tokens = { scope, windowMs: minuteMs, maxTokens: tokensPerMinute };
    const verdict = await reserve(check, {
      callId: book.callId,
      jobId: call.jobId,
      scope,
      provider: inner.id,
      model: inner.model,
      usage,
      costMicros: reservation.costMicros,
      cached: false,
      status: "reserved",
      ts: now.toISOString(),
    });
    if (verdict.ok) {
      book.reservation = reservation;
      return;
    }
    if (verdict.limit === "cost") throw quotaError(verdict, now, reservation.costMicros);
    const delayMs = Math.min(verdict.retryAfterMs, deps.settings.maxRetryDelayMs);
    if (attempt >= deps.settings.maxAttempts || delayMs < verdict.retryAfterMs) throw tokensError(verdict, usage.total, true);
    book.call.onEvent?.({ type: "provider-retried", attempt: attempt + 1, delayMs, code: "rate_limit_exceeded" });
    logCall(book, "warn", { scope, delayMs, usedTokens: verdict.usedTokens, limit: verdict.maxTokens }, "tokens per minute spent; waiting for the window");
    await sleep(delayMs, call.signal);
  }
}

/** The call settled (its real usage is in the ledger): its reservation goes. */
export async function releaseReservation(book: CallBook): Promise<void> {
  if (book.reservation === undefined) return;
  book.reservation = undefined;
  try {
    await book.deps.releaseReservation?.(book.callId);
  } catch (error) {
    // A reservation left behind only counts against the quota until the day ends.
    logCall(book, "warn", { err: error }, "could not release a usage reservation");
  }
}

/**
 * A call that ended without an answer. When the vendor may have done work — the call was aborted
 * (cancel, timeout, the reader went away) or a stream broke after its first chunk — the estimate of
 * what was spent is settled: the prompt and the text received. When the vendor refused it (an HTTP
 * error), nothing was billed and the reservation is just released.
 */
export async function abandonCall(book: CallBook, outcome: { vendorMayHaveWorked: boolean; receivedText: string }): Promise<void> {
  const reservation = book.reservation;
  if (reservation === undefined) return;
  const { deps, inner, call } = book;
  if (outcome.vendorMayHaveWorked || outcome.receivedText !== "") {
    const usage = usageOf(reservation.promptTokens, estimateCompletionTokens(outcome.receivedText));
    const costMicros = deps.prices.costMicros(inner.id, inner.model, usage);
    try {
      await deps.recordUsage?.({
        callId: book.callId,
        jobId: call.jobId,
        scope: reservation.scope,
        provider: inner.id,
        model: inner.model,
        usage,
        costMicros,
        cached: false,
        status: "settled",
        ts: (deps.clock?.() ?? new Date()).toISOString(),
      });
      deps.metering?.tokensUsed({ provider: inner.id, model: inner.model }, usage);
      if (costMicros !== null) deps.metering?.costIncurred({ provider: inner.id, model: inner.model }, costMicros / 10_000);
      logCall(book, "info", { usage, costMicros, estimated: true }, "provider call abandoned; its estimated usage is settled");
    } catch (error) {
      logCall(book, "error", { err: error }, "could not record the estimated usage of an abandoned call");
    }
  }
  await releaseReservation(book);
  // Rare and possibly above the estimate (a long stream cut short): written now, not next turn.
  await flushUsage(book);
}

/** Whether a settled entry spent more than the call's reservation held against the limits. */
export function exceedsReservation(reservation: CallReservation, entry: { usage: GenUsage; costMicros: number | null }): boolean {
  return entry.usage.total > reservation.promptTokens + reservation.completionTokens || (entry.costMicros ?? 0) > (reservation.costMicros ?? 0);
}

/** Writes a write-behind ledger's queue now (see PolicyDeps.flushUsage); a failure is logged, never thrown. */
export async function flushUsage(book: CallBook): Promise<void> {
  try {
    await book.deps.flushUsage?.();
  } catch (error) {
    logCall(book, "error", { err: error }, "could not record provider usage");
  }
}

export const startOfUtcDay = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

const usageOf = (prompt: number, completion: number): GenUsage => ({ prompt, completion, total: prompt + completion });
const usd = (micros: number): string => `$${(micros / 1_000_000).toFixed(micros < 10_000_000 ? 4 : 2)}`;

const reservationCost = (deps: CallBook["deps"], inner: CallBook["inner"], usage: GenUsage): number | null =>
  deps.prices.costMicros(inner.id, inner.model, usage);

/** The daily quota is spent (or this call could pass it): no retry helps before the UTC day ends. */
export function quotaError(verdict: Extract<UsageLimitVerdict, { limit: "cost" }>, now: Date, estimateMicros?: number | null): GromptError {
  const retryAfterMs = startOfUtcDay(now).getTime() + 86_400_000 - now.getTime();
  const used = `${usd(verdict.spentMicros)} of ${usd(verdict.maxCostMicros)} used today (UTC)`;
  const message =
    verdict.spentMicros >= verdict.maxCostMicros || typeof estimateMicros !== "number"
      ? `The daily cost quota is spent: ${used}`
      : `This call could pass the daily cost quota: ${used}, and it may cost up to ${usd(estimateMicros)}`;
  return new GromptError(
    "quota_exceeded",
    message,
    {
      retryable: false,
      hint: "It resets at 00:00 UTC; raise limits.dailyCostUsd (GROMPT_DAILY_COST_USD) to spend more today.",
      details: { limit: "limits.dailyCostUsd", limitUsd: verdict.maxCostMicros / 1_000_000, spentUsd: verdict.spentMicros / 1_000_000, retryAfterMs },
    },
  );
}

/** This scope used its tokens for the minute. */
export function tokensError(verdict: { usedTokens: number; maxTokens: number; retryAfterMs: number }, wanted: number, retryable: boolean): GromptError {
  const message = retryable
    ? `The tokens per minute are spent: ${verdict.usedTokens} of ${verdict.maxTokens} used in the last minute, ${wanted} more needed`
    : `One call needs about ${wanted} tokens, more than the ${verdict.maxTokens} allowed per minute`;
  return new GromptError("rate_limit_exceeded", message, {
    retryable,
    hint: retryable ? "Wait for the minute to pass, or raise server.tokensPerMinute." : "Raise server.tokensPerMinute, or ask for fewer tokens (maxTokens).",
    details: { limit: "server.tokensPerMinute", limitTokens: verdict.maxTokens, usedTokens: verdict.usedTokens, retryAfterMs: verdict.retryAfterMs },
  });
}
