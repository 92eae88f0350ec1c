/** Metrics and traces as the domain sees them; adapters map them to Prometheus and OpenTelemetry. */
export interface SpanHandle {
  /** Adds attributes to the span. */
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  /** Marks the span failed. */
  recordError(error: unknown): void;
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
  /** Runs `work` inside a span named `name` (HTTP, queue hand-off, provider call). */
  span<T>(name: string, attributes: Record<string, string | number | boolean>, work: (span: SpanHandle) => Promise<T>): Promise<T>;
}
