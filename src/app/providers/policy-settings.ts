import type { LoggerPort } from "../../core/ports/logger-port";
import type { CachePort } from "../../core/ports/cache-port";
import type { MeteringPort } from "../../core/ports/metering-port";
import type { StorePort, UsageEntry } from "../../core/ports/store-port";
import type { PriceBook } from "./price-book";

export interface PolicySettings {
  /** Longest silence from the vendor per attempt (the whole answer for generate, each chunk for streams). */
  timeoutMs: number;
  /** Attempts in all, first included (1–3). */
  maxAttempts: number;
  /** Cap on any wait between attempts, an honoured Retry-After included. */
  maxRetryDelayMs: number;
  /** Fraction of attempts failed with a simulated 429 before the network. */
  chaos429: number;
  /** First backoff step (doubles per attempt). */
  baseDelayMs: number;
  /** How long a cached answer lives. */
  cacheTtlMs: number;
  /** Log prompt sizes and hashes only, unless this is true. */
  logPrompts?: boolean;
  /** Usage limits enforced before each call (see usage-reservation.ts); none when absent. */
  limits?: UsageLimits;
}

/** A usage ledger write: settled when it returns, or when its promise does. */
export type LedgerWrite = (entry: UsageEntry) => Promise<void> | void;

export interface UsageLimits {
  /** `limits.dailyCostUsd` in micro-dollars: every scope's cost since 00:00 UTC. */
  dailyCostMicros?: number;
  /** `server.tokensPerMinute`: each daemon token's tokens in the last minute (the CLI's "cli" scope is exempt). */
  tokensPerMinute?: number;
}

/** Everything the policy layer talks to, passed in (STYLE §3) so tests can hand in small doubles. */
export interface PolicyDeps {
  settings: PolicySettings;
  prices: PriceBook;
  /** The response cache; absent or disabled means every call goes to the vendor. */
  cache?: CachePort;
  /**
   * Settles each call in the usage ledger (connect StorePort.recordUsage). May return nothing: a
   * write-behind queue that is open takes the entry synchronously, and the call awaits nothing.
   */
  recordUsage?: LedgerWrite;
  /** Checks the limits and reserves a call's estimated usage in one step (StorePort.reserveUsage). */
  reserveUsage?: NonNullable<StorePort["reserveUsage"]>;
  /** Drops a reservation once its call settled (StorePort.releaseReservation). */
  releaseReservation?: StorePort["releaseReservation"];
  /** Settles a reserved call and drops its reservation in one write (StorePort.settleUsage); else recordUsage then releaseReservation. */
  settleUsage?: LedgerWrite;
  /**
   * When the ledger writes behind (its writes resolve once queued, and land after the current
   * event-loop turn): writes the queue now. Called when a settlement must count at once — it spent
   * more than its reservation held, or the call ended without an answer.
   */
  flushUsage?: () => Promise<void>;
  logger?: LoggerPort;
  metering?: Pick<MeteringPort, "providerRetried" | "cacheLookup" | "tokensUsed" | "costIncurred" | "startSpan">;
  /** Ledger scope when the call does not name one. */
  defaultScope?: string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  newCallId?: () => string;
  clock?: () => Date;
  /** Warns once per unpriced model; shared so a process warns once, not once per provider. */
  warnedUnpriced?: Set<string>;
}
