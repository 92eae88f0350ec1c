import type { SqliteHandle } from "../../adapters/store/sqlite/open-database";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { MeteringPort } from "../../core/ports/metering-port";
import type { StorePort } from "../../core/ports/store-port";
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
  const ledger = input.store === undefined ? undefined : openedOnce(input.store);
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
    recordUsage: usage === undefined ? undefined : (entry) => usage((queue) => queue.record(entry)),
    releaseReservation: usage === undefined ? undefined : (callId) => usage((queue) => queue.release(callId)),
    settleUsage: usage === undefined ? undefined : (entry) => usage((queue) => queue.settle(entry)),
    flushUsage: usage === undefined ? undefined : () => usage((queue) => queue.flush()),
    reserveUsage:
      ledger === undefined || usage === undefined
        ? undefined
        : // The limits are checked against every settlement of this process, queued ones included.
          // A store without limit support enforces none (the ledger still records every call).
          async (check, reservation) => {
            await usage((queue) => queue.flush());
            return ledger((store) => (store.reserveUsage === undefined ? { ok: true as const } : store.reserveUsage(check, reservation)));
          },
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

/** Runs work against a port opened on first use, without an extra await once it is open. */
function openedOnce<P>(open: () => Promise<P>): <T>(work: (port: P) => T | Promise<T>) => Promise<T> {
  let opened: P | undefined;
  return async (work) => {
    opened ??= await open();
    return work(opened);
  };
}
