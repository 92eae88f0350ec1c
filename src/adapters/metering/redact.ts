/**
 * Scrubs secrets and personal data out of anything about to be logged. Two nets: exact values
 * known to be secret (the configured keys and tokens) and patterns for the usual key shapes.
 */
const patterns: readonly [RegExp, string][] = [
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{12,}/g, "[REDACTED:api-key]"],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, "[REDACTED:api-key]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED:token]"],
  [/\b(x-api-key|x-goog-api-key|api[_-]?key|token|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi, "$1$2[REDACTED]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[REDACTED:email]"],
];

/** What every pattern above needs somewhere in the text: without one of these, none can match. */
const mayMatchPattern = /sk-|AIza|bearer|basic|api[_-]?key|token|authorization|@/i;

/** Keys whose values are never logged, whatever they look like. */
const secretKeys = /^(api[_-]?key|apikey|authorization|token|password|secret|x-api-key|x-goog-api-key|cookie)$/i;

export interface Redactor {
  /** The string with every known secret and pattern replaced. */
  text(value: string): string;
  /** A deep copy of a log record with secrets replaced. */
  value(value: unknown): unknown;
}

/** Log records reuse a handful of keys: each is tested against `secretKeys` once. */
const secretKeyVerdicts = new Map<string, boolean>();
function isSecretKey(key: string): boolean {
  let verdict = secretKeyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = secretKeys.test(key);
    // Bounded: keys come from code, but a record could carry arbitrary ones (a vendor's payload).
    if (secretKeyVerdicts.size < 1_000) secretKeyVerdicts.set(key, verdict);
  }
  return verdict;
}

export function createRedactor(knownSecrets: readonly string[] = []): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const exact = [...new Set(knownSecrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    let out = input;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
    // Most strings in a log line (ids, model names, messages) hold none of the patterns' anchors.
    if (!mayMatchPattern.test(out)) return out;
    for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
    return out;
  };
  const value = (input: unknown, depth = 0): unknown => {
    if (typeof input === "string") return text(input);
    if (depth > 8 || input === null || typeof input !== "object") return input;
    if (input instanceof Error) {
      return { type: input.name, message: text(input.message), stack: input.stack === undefined ? undefined : text(input.stack) };
    }
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1));
    // Every log line passes here: one object built in place, no arrays of entries.
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(input)) {
      const v = (input as Record<string, unknown>)[k];
      out[k] = v !== undefined && isSecretKey(k) ? "[REDACTED]" : value(v, depth + 1);
    }
    return out;
  };
  return { text, value: (input) => value(input) };
}
