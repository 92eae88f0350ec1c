/**
 * The provider contract promised to plugin authors and the front end (DESIGN.md §3).
 * The first block is verbatim; everything after it is an optional addition.
 */
export type ProviderId = "openai" | "anthropic" | "gemini";
export interface GenOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stopSequences?: string[];
  /** Ask the vendor for its JSON mode (FF_JSON_MODE); part of the request, so part of the cache key. */
  jsonMode?: boolean;
}
export interface GenInput {
  system?: string;
  user: string;
}
export interface GenUsage {
  prompt: number;
  completion: number;
  total: number;
  /** Part of `prompt` the vendor served from its own prompt cache (billed at the cached-input price). */
  cachedPrompt?: number;
}
export interface GenResult {
  text: string;
  provider: ProviderId;
  model: string;
  usage?: GenUsage;
  finishReason?: string;
  /** True when the answer came from the response cache (it cost nothing). */
  cached?: boolean;
  /** Cost of this call in integer micro-dollars; null when the model has no known price. */
  costMicros?: number | null;
  /** Correlates logs, events and the usage ledger for one provider call. */
  callId?: string;
}

/** What the caller may tell a provider call besides the request itself. */
export interface ProviderCall {
  /** Aborting it aborts the HTTP request (cancellation end to end). */
  signal?: AbortSignal;
  jobId?: string;
  sessionId?: string;
  callId?: string;
  /** Who pays: the usage ledger's scope ("cli", or the daemon's token id). */
  scope?: string;
  /** Skip the response cache for this call (`--no-cache`). */
  noCache?: boolean;
  /** Progress of the call: retries, cache hits, the final usage of a stream. */
  onEvent?: (event: ProviderCallEvent) => void;
}

export type ProviderCallEvent =
  | { type: "provider-retried"; attempt: number; delayMs: number; code: string; status?: number }
  | { type: "provider-cache-hit"; key: string }
  /** Emitted once when a call (generate or stream) finishes successfully; carries usage of streams. */
  | { type: "provider-call-finished"; result: GenResult; latencyMs: number };

export interface ProviderPort {
  /** One request, one complete answer. */
  generate(input: GenInput, options?: GenOptions, call?: ProviderCall): Promise<GenResult>;
  /** The answer as text chunks in arrival order; usage arrives through `call.onEvent`. */
  stream?(input: GenInput, options?: GenOptions, call?: ProviderCall): AsyncIterable<string>;
}

/**
 * A ProviderPort bound to one vendor and one model: what the registry's factories return and what
 * callers get back from the provider service (policy-wrapped).
 */
export interface ModelProvider extends ProviderPort {
  /** The vendor jobs record; a stand-in (replay) reports the vendor that recorded it. */
  readonly id: ProviderId;
  /** The model requests are sent to. */
  readonly model: string;
  /** Where requests go when it is not the vendor's default endpoint (part of the cache key). */
  readonly endpoint?: string;
  /** False for stand-ins whose answers cost nothing and must not enter the response cache. */
  readonly billable?: boolean;
}
