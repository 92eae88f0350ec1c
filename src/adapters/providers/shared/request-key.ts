import { hash } from "node:crypto";
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

/** The members a NormalizedRequest may have, in canonical (sorted) order. */
const requestMembers = new Set(["endpoint", "model", "options", "provider", "system", "user"]);

/**
 * `canonicalJson(request)` written out member by member: the same text, without sorting entries for
 * an object whose members are known (every provider call computes it). Anything else takes the
 * general path.
 */
export function canonicalRequestJson(request: NormalizedRequest): string {
  const { endpoint, model, options, provider, system, user } = request;
  const plain =
    typeof model === "string" &&
    typeof provider === "string" &&
    typeof user === "string" &&
    (endpoint === undefined || typeof endpoint === "string") &&
    (system === undefined || typeof system === "string");
  if (!plain) return canonicalJson(request);
  for (const key in request) if (!requestMembers.has(key)) return canonicalJson(request);
  let out = "{";
  if (endpoint !== undefined) out += `"endpoint":${JSON.stringify(endpoint)},`;
  out += `"model":${JSON.stringify(model)},`;
  if (options !== undefined) out += `"options":${canonicalJson(options)},`;
  out += `"provider":${JSON.stringify(provider)},`;
  if (system !== undefined) out += `"system":${JSON.stringify(system)},`;
  return `${out}"user":${JSON.stringify(user)}}`;
}

/** sha256 (hex) of the canonical JSON of the normalised request: the cache key and the cassette hash. */
export function requestKey(request: NormalizedRequest): string {
  return hash("sha256", canonicalRequestJson(request), "hex");
}
