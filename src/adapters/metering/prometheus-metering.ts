import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { MeteringPort, MetricsExporter, PersistedMetrics, PersistedMetricsSource } from "../../core/ports/metering-port";

export interface PrometheusMeteringOptions {
  /** What the store knows (every process sharing the home); parts it cannot tell are counted here in process. */
  persisted?: PersistedMetricsSource;
  /** Spans are not Prometheus' business: they go to this tracer. */
  tracer: Pick<MeteringPort, "span" | "startSpan">;
  /** Process metrics (CPU, memory, event loop lag); on by default. */
  processMetrics?: boolean;
}

const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const httpBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The daemon's metrics in a prom-client registry. Job latency, tokens, cost, cache and retries are
 * read from the store at scrape time when it can tell them — so the CLI's runs and other processes
 * sharing the home count too, each once — and counted from this process's observations otherwise.
 * HTTP durations and SSE backpressure only ever happen here.
 */
export function createPrometheusMetering(options: PrometheusMeteringOptions): MetricsExporter {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const jobLatency = new Histogram({
    name: "grompt_job_latency_seconds",
    help: "Time from a job's creation to its end, by purpose, provider, model and final state.",
    labelNames: ["purpose", "provider", "model", "state"] as const,
    buckets: latencyBuckets,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "grompt_tokens_total",
    help: "Tokens billed by providers (cached answers excluded), by type (prompt or completion).",
    labelNames: ["provider", "model", "type"] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: "grompt_cost_cents_total",
    help: "Cost of provider calls in US cents (models with a known price).",
    labelNames: ["provider", "model"] as const,
    registers: [registry],
  });
  const backpressure = new Counter({
    name: "grompt_stream_backpressure_events_total",
    help: "SSE writes that had to wait for the client to drain its socket.",
    registers: [registry],
  });
  const cacheHits = new Counter({ name: "grompt_cache_hits_total", help: "Response cache hits.", registers: [registry] });
  const cacheMisses = new Counter({ name: "grompt_cache_misses_total", help: "Response cache misses.", registers: [registry] });
  const retries = new Counter({
    name: "grompt_provider_retries_total",
    help: "Provider calls retried, by the code of the failure that caused the retry.",
    labelNames: ["provider", "model", "code"] as const,
    registers: [registry],
  });
  const http = new Histogram({
    name: "grompt_http_request_duration_seconds",
    help: "HTTP request duration by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    buckets: httpBuckets,
    registers: [registry],
  });

  // Parts the store tells are not counted in process as well (they would count twice).
  const fromStore = options.persisted?.covers ?? { usage: false, cache: false, retries: false, jobs: false };

  const apply = (snapshot: PersistedMetrics): void => {
    if (snapshot.usage !== undefined) {
      tokens.reset();
      cost.reset();
      for (const total of snapshot.usage) {
        tokens.inc({ provider: total.provider, model: total.model, type: "prompt" }, total.promptTokens);
        tokens.inc({ provider: total.provider, model: total.model, type: "completion" }, total.completionTokens);
        cost.inc({ provider: total.provider, model: total.model }, total.costMicros / 10_000);
      }
    }
    if (snapshot.cache !== undefined) {
      cacheHits.reset();
      cacheMisses.reset();
      cacheHits.inc(snapshot.cache.hits);
      cacheMisses.inc(snapshot.cache.misses);
    }
    if (snapshot.retries !== undefined) {
      retries.reset();
      for (const { count, ...labels } of snapshot.retries) retries.inc(labels, count);
    }
    if (snapshot.newlyFinishedJobs !== undefined) {
      for (const { seconds, ...labels } of snapshot.newlyFinishedJobs) jobLatency.observe(labels, seconds);
    }
  };

  // One scrape at a time: the store's finished-job feed moves on at each read.
  let scraping: Promise<unknown> = Promise.resolve();
  const render = (): Promise<string> => {
    const next = scraping.then(async () => {
      if (options.persisted !== undefined) apply(await options.persisted.read());
      return registry.metrics();
    });
    scraping = next.catch(() => undefined);
    return next;
  };

  return {
    contentType: registry.contentType,
    render,
    jobFinished(labels, seconds) {
      if (!fromStore.jobs) jobLatency.observe(labels, seconds);
    },
    tokensUsed(labels, usage) {
      if (fromStore.usage) return;
      tokens.inc({ ...labels, type: "prompt" }, usage.prompt);
      tokens.inc({ ...labels, type: "completion" }, usage.completion);
    },
    costIncurred(labels, cents) {
      if (!fromStore.usage) cost.inc(labels, cents);
    },
    providerRetried(labels) {
      if (!fromStore.retries) retries.inc(labels);
    },
    cacheLookup(hit) {
      if (!fromStore.cache) (hit ? cacheHits : cacheMisses).inc();
    },
    streamBackpressure: () => backpressure.inc(),
    httpRequestFinished(labels, seconds) {
      http.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds);
    },
    span: (name, attributes, work, spanOptions) => options.tracer.span(name, attributes, work, spanOptions),
    startSpan: (name, attributes, spanOptions) => options.tracer.startSpan(name, attributes, spanOptions),
  };
}
