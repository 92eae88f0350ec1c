import type { CachePort } from "../../core/ports/cache-port";

/**
 * A CachePort that opens the real one (and its database) only when first used; once it is open,
 * calls go straight to it (`getNow` too, which answers only once it is open). `flush` does nothing when the cache was never opened.
 */
export function lazyCache(open: () => Promise<CachePort>): CachePort {
  let opening: Promise<CachePort> | undefined;
  let opened: CachePort | undefined;
  const cache = (): Promise<CachePort> =>
    (opening ??= open().then((port) => {
      opened = port;
      return port;
    }));
  return {
    get: (key) => (opened === undefined ? cache().then((port) => port.get(key)) : opened.get(key)),
    getNow: (key) => opened?.getNow?.(key),
    set: (key, answer, ttlMs) => (opened === undefined ? cache().then((port) => port.set(key, answer, ttlMs)) : opened.set(key, answer, ttlMs)),
    delete: async (key) => (await cache()).delete(key),
    clear: async () => (await cache()).clear(),
    stats: async () => (await cache()).stats(),
    flush: async () => {
      if (opening === undefined) return;
      await (await opening).flush?.();
    },
  };
}
