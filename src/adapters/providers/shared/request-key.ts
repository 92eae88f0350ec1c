import { createHash } from "node:crypto";
import type { GenInput, GenOptions } from "../../../core/ports/provider-port";

/** A request as the cache and the cassettes see it: everything that can change the answer. */
export interface NormalizedRequest {
  provider: string;
  model: string;
  system?: string;
  user: string;
  options: GenOptions;
  /** A non-default endpoint (two servers may host models with the same name). */
  endpoint?: string;
}

/** Drops what does not change the request (undefined, `jsonMode: false`, no stop sequences). */
export function normalizeOptions(options: GenOptions = {}): GenOptions {
  const out: GenOptions = {};
  if (options.temperature !== undefined) out.temperature = options.temperature;
  if (options.topP !== undefined) out.topP = options.topP;
  if (options.maxTokens !== undefined) out.maxTokens = options.maxTokens;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) out.stopSequences = [...options.stopSequences];
  if (options.jsonMode === true) out.jsonMode = true;
  // Options added to GenOptions later still count: copy anything else that is defined.
  for (const [key, value] of Object.entries(options)) {
    if (!(key in out) && value !== undefined && !["jsonMode", "stopSequences"].includes(key)) {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

export function normalizeRequest(parts: {
  provider: string;
  model: string;
  input: GenInput;
  options?: GenOptions;
  endpoint?: string;
}): NormalizedRequest {
  const request: NormalizedRequest = {
    provider: parts.provider,
    model: parts.model,
    user: parts.input.user,
    options: normalizeOptions(parts.options),
  };
  if (parts.input.system !== undefined && parts.input.system !== "") request.system = parts.input.system;
  if (parts.endpoint !== undefined) request.endpoint = parts.endpoint;
  return request;
}

/** JSON with object keys sorted at every level and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** sha256 (hex) of the canonical JSON of the normalised request: the cache key and the cassette hash. */
export function requestKey(request: NormalizedRequest): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}
