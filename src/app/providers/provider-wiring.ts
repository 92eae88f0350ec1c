import type { SqliteHandle } from "../../adapters/store/sqlite/open-database";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { MeteringPort } from "../../core/ports/metering-port";
import type { StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { type ProviderService, createProviderService } from "./provider-service";

/**
 * How the composition root builds the provider service: the response cache lives in the shared
 * SQLite database, opened (with better-sqlite3) only when a call first needs it.
 */
export function wireProviders(input: {
  config: GromptConfig;
  logger: LoggerPort;
  database: () => Promise<SqliteHandle>;
  /** The usage ledger: every call settles there, and the daily quota and tokens per minute are checked against it. */
  store?: () => Promise<StorePort>;
  metering?: MeteringPort;
}): ProviderService {
  const { store } = input;
  return createProviderService({
    config: input.config,
    logger: input.logger,
    metering: input.metering,
    recordUsage: store === undefined ? undefined : async (entry) => (await store()).recordUsage(entry),
    releaseReservation: store === undefined ? undefined : async (callId) => (await store()).releaseReservation(callId),
    reserveUsage:
      store === undefined
        ? undefined
        : async (check, reservation) => {
            const opened = await store();
            // A store without limit support enforces none (the ledger still records every call).
            return opened.reserveUsage === undefined ? { ok: true } : opened.reserveUsage(check, reservation);
          },
    openCache: async () => {
      const [handle, { createSqliteCache }] = await Promise.all([input.database(), import("../../adapters/cache/sqlite/sqlite-cache")]);
      return createSqliteCache(handle.raw, { maxEntries: input.config.cache.maxEntries });
    },
  });
}
