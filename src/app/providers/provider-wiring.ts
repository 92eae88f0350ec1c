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
 * flush that must run before the database closes.
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
  return createProviderService({
    config: input.config,
    logger: input.logger,
    metering: input.metering,
    recordUsage: ledger === undefined ? undefined : (entry) => ledger((store) => store.recordUsage(entry)),
    releaseReservation: ledger === undefined ? undefined : (callId) => ledger((store) => store.releaseReservation(callId)),
    settleUsage:
      ledger === undefined
        ? undefined
        : (entry) => ledger((store) => (store.settleUsage === undefined ? store.recordUsage(entry).then(() => store.releaseReservation(entry.callId)) : store.settleUsage(entry))),
    reserveUsage:
      ledger === undefined
        ? undefined
        : // A store without limit support enforces none (the ledger still records every call).
          (check, reservation) => ledger((store) => (store.reserveUsage === undefined ? { ok: true as const } : store.reserveUsage(check, reservation))),
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
