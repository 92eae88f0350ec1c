const secretKeys = new Set(["apiKey", "token"]);

/** A copy of a config value safe to print: secrets show only that they are set and their last 4 characters. */
export function maskSecrets(value: unknown, key?: string): unknown {
  if (typeof value === "string" && key !== undefined && secretKeys.has(key)) {
    return value.length > 8 ? `****${value.slice(-4)}` : "****";
  }
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}
