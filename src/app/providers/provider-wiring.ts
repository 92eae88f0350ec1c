import type { SqliteHandle } from "../../adapters/store/sqlite/open-database";
import type { LoggerPort } from "../../core/ports/logger-port";
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
  recordUsage?: StorePort["recordUsage"];
}): ProviderService {
  return createProviderService({
    config: input.config,
    logger: input.logger,
    recordUsage: input.recordUsage,
    openCache: async () => {
      const [handle, { createSqliteCache }] = await Promise.all([input.database(), import("../../adapters/cache/sqlite/sqlite-cache")]);
      return createSqliteCache(handle.raw, { maxEntries: input.config.cache.maxEntries });
    },
  });
}
