import type { SqliteHandle } from "../../adapters/store/sqlite/open-database";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { MeteringPort } from "../../core/ports/metering-port";
import type { StorePort, UsageEntry, UsageLimitCheck, UsageLimitVerdict } from "../../core/ports/store-port";
import type { UsageWriteBehind } from "../../adapters/store/sqlite/usage-ledger";
import type { GromptConfig } from "../config/config-schema";
import { type ProviderService, createProviderService } from "./provider-service";

/**
 * How the composition root builds the provider service: the response cache lives in the shared
 * SQLite database, opened (with better-sqlite3) only when a call first needs it. The cache writes
 * after the answer is handed back (one transaction per event-loop turn); `onClose` registers the
 * flush that must run before the database closes. The usage ledger's settlements are written the same
 * way (usage-ledger.ts, `later`).
 */
export function wireProviders(input: {
  config: GromptConfig;
  logger: LoggerPort;
  database: () => Promise<SqliteHandle>;
  /** The usage ledger: every call settles there, and the daily quota and tokens per minute are checked against it. */
  store?: () => Promise<StorePort>;
  metering?: MeteringPort;
  /** Runs `work` when the container closes, before what was opened earlier (the database). */
  onClose?: (work: () => Promise<void>) => void;
}): ProviderService {
  // Settled usage is written after the answer is handed back (see UsageWriteBehind): on the shared
  // connection, one transaction per event-loop turn, flushed on close and on exit.
  const usage =
    input.store === undefined
      ? undefined
      : openedOnce(async () => {
          const [handle, { createUsageLedger }] = await Promise.all([input.database(), import("../../adapters/store/sqlite/usage-ledger")]);
          const later = createUsageLedger(handle).later({
            onError: (error, callIds) => input.logger.error({ err: error, provider_call_ids: callIds }, "could not record provider usage"),
          });
          input.onClose?.(() => later.flush());
          return later;
        });
  return createProviderService({
    config: input.config,
    logger: input.logger,
    metering: input.metering,
    recordUsage: usage === undefined ? undefined : (entry) => usage(recordIn, entry),
    releaseReservation: usage === undefined ? undefined : async (callId) => usage(releaseIn, callId),
    settleUsage: usage === undefined ? undefined : (entry) => usage(settleIn, entry),
    flushUsage: usage === undefined ? undefined : async () => usage(flushIn, undefined),
    // The limits are checked against every settlement of this process: the queued ones are written
    // in the same BEGIN IMMEDIATE transaction as the check and the reservation (usage-ledger.ts).
    reserveUsage: usage === undefined ? undefined : async (check, reservation) => usage(reserveIn, { check, reservation }),
    openCache: async () => {
      const [handle, { createSqliteCache }] = await Promise.all([input.database(), import("../../adapters/cache/sqlite/sqlite-cache")]);
      const cache = createSqliteCache(handle.raw, {
        maxEntries: input.config.cache.maxEntries,
        deferWrites: true,
        onDeferredError: (error) => input.logger.warn({ err: error }, "could not store answers in the response cache"),
      });
      input.onClose?.(async () => cache.flush?.());
      return cache;
    },
  });
}

/**
 * Runs work against a port opened on first use. Once it is open the work runs synchronously and
 * its result is returned as is — a queued ledger write costs no promise, no await. The work is a
 * module function with its argument (no closure per call).
 */
function openedOnce<P>(open: () => Promise<P>): <A, T>(work: (port: P, arg: A) => T, arg: A) => T | Promise<Awaited<T>> {
  let opened: P | undefined;
  let opening: Promise<P> | undefined;
  return <A, T>(work: (port: P, arg: A) => T, arg: A): T | Promise<Awaited<T>> => {
    if (opened !== undefined) return work(opened, arg);
    opening ??= open().then((port) => (opened = port));
    return opening.then((port) => work(port, arg)) as Promise<Awaited<T>>;
  };
}

const recordIn = (queue: UsageWriteBehind, entry: UsageEntry): void => queue.record(entry);
const settleIn = (queue: UsageWriteBehind, entry: UsageEntry): void => queue.settle(entry);
const releaseIn = (queue: UsageWriteBehind, callId: string): void => queue.release(callId);
const flushIn = (queue: UsageWriteBehind): Promise<void> => queue.flush();
const reserveIn = (queue: UsageWriteBehind, request: { check: UsageLimitCheck; reservation?: UsageEntry }): Promise<UsageLimitVerdict> | UsageLimitVerdict =>
  queue.reserve(request.check, request.reservation);
