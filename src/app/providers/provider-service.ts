import { createRecordingProvider } from "../../adapters/providers/replay/recording-provider";
import { GromptError } from "../../core/domain/errors";
import type { CachePort, CacheStats } from "../../core/ports/cache-port";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { ModelProvider } from "../../core/ports/provider-port";
import type { StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { registerBuiltInProviders } from "./built-in-providers";
import { lazyCache } from "./lazy-cache";
import { type Price, type PriceBook, createPriceBook } from "./price-book";
import type { PolicyDeps } from "./policy-settings";
import { withProviderPolicy } from "./provider-policy";
import { type ProviderListing, type ProviderRegistry, createProviderRegistry } from "./provider-registry";

export interface ProviderRequest {
  /** "name" or "name:model"; default `defaults.provider`. */
  provider?: string;
  /** Overrides the model of the spec and the configured default. */
  model?: string;
  /** Save every answer into this cassette (JSONL). */
  record?: string;
  /** Answer from this cassette (the replay provider; implied when no provider is named). */
  cassette?: string;
}

/** A policy-wrapped provider ready to call, with the registered name it was resolved from. */
export interface ResolvedProvider extends ModelProvider {
  name: string;
}

export interface ProviderService {
  registry: ProviderRegistry;
  prices: PriceBook;
  /** Resolves a request to a provider; fails (provider_unknown, provider_not_configured) before any work. */
  resolve(request?: ProviderRequest): Promise<ResolvedProvider>;
  /** Every registered provider, configured or not and why, with its default model's price. */
  list(): (ProviderListing & { price?: Price })[];
  /** Response cache counters, or undefined when the cache is off. */
  cacheStats(): Promise<CacheStats | undefined>;
}

export interface ProviderServiceDeps {
  config: GromptConfig;
  logger?: LoggerPort;
  /** Opens the response cache on first use; without it (or with `cache.enabled: false`) nothing is cached. */
  openCache?: () => Promise<CachePort>;
  /** Settles each call in the usage ledger (StorePort.recordUsage). */
  recordUsage?: PolicyDeps["recordUsage"];
  /** Checks the usage limits and reserves each call's estimate (StorePort.reserveUsage); without it no limit is enforced. */
  reserveUsage?: PolicyDeps["reserveUsage"];
  releaseReservation?: StorePort["releaseReservation"];
  /** Settles a reserved call in one transaction (StorePort.settleUsage). */
  settleUsage?: PolicyDeps["settleUsage"];
  /** Writes usage entries queued by a write-behind ledger now (see PolicyDeps.flushUsage). */
  flushUsage?: PolicyDeps["flushUsage"];
  metering?: PolicyDeps["metering"];
  /** A registry with extra providers; the built-ins are registered into a new one when absent. */
  registry?: ProviderRegistry;
  /** Test seams: waits, randomness, first backoff step and timeout. */
  policy?: Partial<Pick<PolicyDeps, "sleep" | "random" | "newCallId" | "clock">> & { baseDelayMs?: number; timeoutMs?: number };
}

/** Resolves names to policy-wrapped providers; the use cases' one way to reach a vendor. */
export function createProviderService(deps: ProviderServiceDeps): ProviderService {
  const { config } = deps;
  const registry = deps.registry ?? createProviderRegistry();
  if (deps.registry === undefined) registerBuiltInProviders(registry);
  const prices = createPriceBook(config.prices);
  const cache = config.cache.enabled && deps.openCache !== undefined ? lazyCache(deps.openCache) : undefined;
  const warnedUnpriced = new Set<string>();
  const policyDeps: PolicyDeps = {
    settings: {
      timeoutMs: deps.policy?.timeoutMs ?? config.request.timeoutMs,
      maxAttempts: config.request.maxAttempts,
      maxRetryDelayMs: config.request.maxRetryDelayMs,
      chaos429: config.request.chaos429,
      baseDelayMs: deps.policy?.baseDelayMs ?? 500,
      cacheTtlMs: config.cache.ttlSeconds * 1000,
      logPrompts: config.logging.prompts,
      limits: {
        dailyCostMicros: config.limits.dailyCostUsd === undefined ? undefined : Math.round(config.limits.dailyCostUsd * 1_000_000),
        tokensPerMinute: config.server.tokensPerMinute,
      },
    },
    prices,
    cache,
    recordUsage: deps.recordUsage,
    reserveUsage: deps.reserveUsage,
    releaseReservation: deps.releaseReservation,
    settleUsage: deps.settleUsage,
    flushUsage: deps.flushUsage,
    logger: deps.logger,
    metering: deps.metering,
    sleep: deps.policy?.sleep,
    random: deps.policy?.random,
    newCallId: deps.policy?.newCallId,
    clock: deps.policy?.clock,
    warnedUnpriced,
  };

  return {
    registry,
    prices,
    async resolve(request = {}) {
      if (request.cassette !== undefined && request.provider !== undefined && registry.parse(request.provider).name !== "replay") {
        throw new GromptError("usage", "--cassette answers from a recording: use it with --provider replay (or without --provider)", {
          hint: "To record a new cassette from a real provider, use --record <file.jsonl>.",
        });
      }
      const spec = request.provider ?? (request.cassette !== undefined ? "replay" : config.defaults.provider);
      const { name, model: specModel } = registry.parse(spec);
      if (name === "replay" && request.record !== undefined) {
        throw new GromptError("usage", "--record saves a real provider's answers; it cannot be used with the replay provider");
      }
      const isDefault = request.provider === undefined || name === registry.parse(config.defaults.provider).name;
      const model = request.model ?? specModel ?? (isDefault && name !== "replay" ? config.defaults.model : undefined);
      const raw = await registry.create(name, { config, logger: deps.logger, cassette: request.cassette, model });
      const wrapped = withProviderPolicy(raw, policyDeps);
      const provider = request.record === undefined ? wrapped : createRecordingProvider(wrapped, request.record);
      return { ...provider, name };
    },
    list() {
      return registry.list(config).map((listing) => {
        const price = listing.defaultModel === undefined ? undefined : prices.lookup(listing.name, listing.defaultModel);
        return price === undefined ? listing : { ...listing, price };
      });
    },
    cacheStats: async () => (cache === undefined ? undefined : cache.stats()),
  };
}
