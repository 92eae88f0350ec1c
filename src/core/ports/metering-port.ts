/** Metrics and traces as the domain sees them; adapters map them to Prometheus and OpenTelemetry. */
export interface SpanHandle {
  /** Adds attributes to the span. */
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  /** Marks the span failed. */
  recordError(error: unknown): void;
}

/** A span started in one callback and ended in another (an HTTP request's hooks). */
export interface OpenSpan extends SpanHandle {
  /** Ends the span; later calls are ignored. */
  end(): void;
}

export type SpanAttributes = Record<string, string | number | boolean>;

export interface MeteringPort {
  /** A job reached a terminal state after `seconds` since creation. */
  jobFinished(labels: { purpose: string; provider: string; model: string; state: string }, seconds: number): void;
  /** Tokens used by one provider call. */
  tokensUsed(labels: { provider: string; model: string }, usage: { prompt: number; completion: number }): void;
  /** Cost of one provider call, in cents (fractional allowed). */
  costIncurred(labels: { provider: string; model: string }, cents: number): void;
  /** A provider call was retried. */
  providerRetried(labels: { provider: string; model: string; code: string }): void;
  /** A response cache lookup. */
  cacheLookup(hit: boolean): void;
  /** An SSE write had to wait for drain. */
  streamBackpressure(): void;
  /** An HTTP request was answered; `route` is the route's pattern (`/v1/jobs/:id`), never the raw URL. */
  httpRequestFinished(labels: { method: string; route: string; status: number }, seconds: number): void;
  /** Runs `work` inside a span named `name` (HTTP, queue hand-off, provider call); nested spans become its children. */
  span<T>(name: string, attributes: SpanAttributes, work: (span: SpanHandle) => Promise<T>): Promise<T>;
  /** Starts a span the caller ends; `carrier` may hold W3C trace headers (traceparent) to continue a remote trace. */
  startSpan(name: string, attributes: SpanAttributes, carrier?: Record<string, string | string[] | undefined>): OpenSpan;
}

/** One provider/model's settled usage, summed over every process sharing the store. */
export interface UsageTotal {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Micro-dollars of calls with a known price. */
  costMicros: number;
  calls: number;
}

/** A job that ended, as the job latency histogram needs it. */
export interface FinishedJobSample {
  purpose: string;
  provider: string;
  model: string;
  state: string;
  seconds: number;
}

/**
 * What the store knows that every process sharing a home contributed to (CLI runs, other daemons,
 * workers). Read at scrape time so `/metrics` counts them all, each exactly once.
 */
export interface PersistedMetrics {
  /** Running totals per provider and model (answers served from the response cache excluded). */
  usage: UsageTotal[];
  /** Running totals of the persisted counters: `cache_hits`, `cache_misses`, provider retries. */
  cacheHits: number;
  cacheMisses: number;
  retries: { provider: string; model: string; code: string; count: number }[];
  /** Jobs that finished since the previous read (the first read returns every finished job). */
  newlyFinishedJobs: FinishedJobSample[];
}
