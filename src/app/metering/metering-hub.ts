import type { LoggerPort } from "../../core/ports/logger-port";
import type { MeteringPort, OpenSpan, SpanHandle } from "../../core/ports/metering-port";
import { retriesCounter } from "./counter-names";

type Tracer = Pick<MeteringPort, "span" | "startSpan">;

/** The container's one MeteringPort: what it observes goes where the process has somewhere to put it. */
export interface MeteringHub extends MeteringPort {
  /** Spans go to this tracer from now on (OpenTelemetry, once its SDK is started). */
  useTracer(tracer: Tracer): void;
  /** Every observation goes to this exporter as well (the daemon's Prometheus registry). */
  attach(exporter: MeteringPort): void;
}

export interface MeteringHubDeps {
  /** Persists a retry in the store's counters, so `/metrics` of a daemon sharing the home counts the CLI's. */
  bumpCounter?: (name: string) => Promise<void>;
  logger?: LoggerPort;
}

const noSpan: OpenSpan = { setAttributes: () => undefined, recordError: () => undefined, activate: (work) => work(), end: () => undefined };
const untraced: Tracer = {
  span: (_name, _attributes, work) => work(noSpan as SpanHandle),
  startSpan: () => noSpan,
};

/**
 * Fans observations out: spans to the tracer (a no-op until tracing starts, so the CLI pays nothing
 * for them), retries to the store's counters, everything to the exporter once one is attached.
 * Tokens, cost, cache lookups and job ends need no persisting here: the ledger, the cache's own
 * counters and the jobs table already hold them.
 */
export function createMeteringHub(deps: MeteringHubDeps = {}): MeteringHub {
  let tracer = untraced;
  let exporter: MeteringPort | undefined;
  return {
    useTracer: (next) => void (tracer = next),
    attach: (next) => void (exporter = next),
    jobFinished: (labels, seconds) => exporter?.jobFinished(labels, seconds),
    tokensUsed: (labels, usage) => exporter?.tokensUsed(labels, usage),
    costIncurred: (labels, cents) => exporter?.costIncurred(labels, cents),
    providerRetried(labels) {
      exporter?.providerRetried(labels);
      deps.bumpCounter?.(retriesCounter(labels)).catch((error: unknown) => deps.logger?.warn({ err: error }, "could not count a provider retry"));
    },
    cacheLookup: (hit) => exporter?.cacheLookup(hit),
    streamBackpressure: () => exporter?.streamBackpressure(),
    httpRequestFinished: (labels, seconds) => exporter?.httpRequestFinished(labels, seconds),
    span: (name, attributes, work, options) => tracer.span(name, attributes, work, options),
    startSpan: (name, attributes, options) => tracer.startSpan(name, attributes, options),
  };
}
