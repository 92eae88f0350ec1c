/** Metrics and traces as the domain sees them; adapters map them to Prometheus and OpenTelemetry. */
export interface SpanHandle {
  /** Adds attributes to the span. */
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  /** Marks the span failed. */
  recordError(error: unknown): void;
}

/** A span started in one callback and ended in another (an HTTP request's hooks). */
export interface OpenSpan extends SpanHandle {
  /** Runs `work` with this span as the current one, so spans started inside become its children. */
  activate<T>(work: () => T): T;
  /** Ends the span; later calls are ignored. */
  end(): void;
}

export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanOptions {
  /** `server` for an incoming request, `client` for a call out (a provider), `consumer` for queued work. */
  kind?: "internal" | "server" | "client" | "consumer";
  /** Headers of an incoming request: a W3C `traceparent` there continues the caller's trace. */
  carrier?: Record<string, string | string[] | undefined>;
}

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
  /** Runs `work` inside a span named `name` (a queue hand-off, a job run); spans started meanwhile become its children. */
  span<T>(name: string, attributes: SpanAttributes, work: (span: SpanHandle) => Promise<T>, options?: SpanOptions): Promise<T>;
  /** Starts a span the caller ends (an HTTP request's hooks, a provider call that streams). */
  startSpan(name: string, attributes: SpanAttributes, options?: SpanOptions): OpenSpan;
}

/** The Prometheus side of metering: the same observations, rendered for a scrape. */
export interface MetricsExporter extends MeteringPort {
  /** The exposition format's content type. */
  readonly contentType: string;
  /** Every metric in the text exposition format, store-derived ones read now. */
  render(): Promise<string>;
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
  usage?: UsageTotal[];
  /** Running totals of the persisted counters. */
  cache?: { hits: number; misses: number };
  retries?: { provider: string; model: string; code: string; count: number }[];
  /** Jobs that finished since the previous read (the first read returns every finished job). */
  newlyFinishedJobs?: FinishedJobSample[];
}

/** What the store knows; the parts it cannot tell (`covers`) are counted in process instead. */
export interface PersistedMetricsSource {
  covers: { usage: boolean; cache: boolean; retries: boolean; jobs: boolean };
  read(): Promise<PersistedMetrics>;
}
