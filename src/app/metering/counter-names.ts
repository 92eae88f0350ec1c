/** Names of the persisted counters every process sharing a home adds to (the store's `counters`). */
export const cacheHitsCounter = "cache_hits";
export const cacheMissesCounter = "cache_misses";

const retriesPrefix = "provider_retries ";

/** One counter per provider, model and failure code; JSON keeps model names with colons intact. */
export const retriesCounter = (labels: { provider: string; model: string; code: string }): string =>
  `${retriesPrefix}${JSON.stringify([labels.provider, labels.model, labels.code])}`;

/** The labels of a retries counter, or undefined for any other counter. */
export function parseRetriesCounter(name: string): { provider: string; model: string; code: string } | undefined {
  if (!name.startsWith(retriesPrefix)) return undefined;
  try {
    const labels: unknown = JSON.parse(name.slice(retriesPrefix.length));
    if (Array.isArray(labels) && labels.length === 3 && labels.every((label) => typeof label === "string")) {
      const [provider, model, code] = labels as [string, string, string];
      return { provider, model, code };
    }
  } catch {
    // not one of ours
  }
  return undefined;
}
