import type { CachePort } from "../../core/ports/cache-port";

/** A CachePort that opens the real one (and its database) only when first used. */
export function lazyCache(open: () => Promise<CachePort>): CachePort {
  let opened: Promise<CachePort> | undefined;
  const cache = () => (opened ??= open());
  return {
    get: async (key) => (await cache()).get(key),
    set: async (key, answer, ttlMs) => (await cache()).set(key, answer, ttlMs),
    delete: async (key) => (await cache()).delete(key),
    clear: async () => (await cache()).clear(),
    stats: async () => (await cache()).stats(),
  };
}
