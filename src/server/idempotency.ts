import { createHash } from "node:crypto";
import { GromptError } from "../core/domain/errors";

/** A key as the IETF draft sends it (an sf-string, `"..."`) or bare: printable ASCII, 1 to 255 characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw invalidKey("send one Idempotency-Key header, not several");
  const value = header.trim();
  const quoted = /^"((?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\["\\])*)"$/.exec(value);
  const key = quoted === null ? value : (quoted[1] as string).replace(/\\(["\\])/g, "$1");
  if (quoted === null && !/^[\x21-\x7E]*$/.test(key)) throw invalidKey("a bare key may hold printable ASCII only, without spaces");
  if (key.length === 0 || key.length > 255) throw invalidKey("it must hold 1 to 255 characters");
  return key;
}

const invalidKey = (why: string) =>
  new GromptError("invalid_input", `The Idempotency-Key header is not valid: ${why}`, {
    hint: 'Send a unique value per request, such as a UUID: Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324".',
    details: { field: "Idempotency-Key" },
  });

/** sha256 of the route and the body as canonical JSON (object keys sorted), so key order and spacing do not matter. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash("sha256").update(route).update("\n").update(canonicalJson(body ?? null)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Requests being handled right now, per scope and key: a retry that arrives meanwhile gets 409
 * (the draft's "request in progress") — or 422 when it carries another body — instead of waiting.
 * Across processes the store's transaction still lets only one job be created per key.
 */
export function createInFlightKeys() {
  const handling = new Map<string, string>();
  return {
    async run<T>(claim: { scope: string; key: string; fingerprint: string }, work: () => Promise<T>): Promise<T> {
      const id = `${claim.scope}\n${claim.key}`;
      const current = handling.get(id);
      if (current !== undefined) {
        if (current !== claim.fingerprint) {
          throw new GromptError("idempotency_mismatch", `The Idempotency-Key "${claim.key}" is in use by a request with another body`, {
            hint: "Use a new Idempotency-Key for a different request.",
          });
        }
        throw new GromptError("idempotency_in_flight", `A request with the Idempotency-Key "${claim.key}" is still being handled`, {
          hint: "Retry in a moment: the answer will be the first request's.",
          details: { retryAfterMs: 1_000 },
        });
      }
      handling.set(id, claim.fingerprint);
      try {
        return await work();
      } finally {
        handling.delete(id);
      }
    },
    size: () => handling.size,
  };
}
