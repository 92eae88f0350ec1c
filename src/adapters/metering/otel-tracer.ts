import { type Span, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { MeteringPort, OpenSpan, SpanOptions } from "../../core/ports/metering-port";

const kinds: Record<NonNullable<SpanOptions["kind"]>, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  consumer: SpanKind.CONSUMER,
};

/**
 * Spans through @opentelemetry/api: no-ops until an SDK registers a tracer provider (otel-sdk.ts),
 * so instrumented code costs next to nothing when tracing is off.
 */
export function createOtelTracer(name = "grompt", version?: string): Pick<MeteringPort, "span" | "startSpan"> {
  const tracer = trace.getTracer(name, version);
  return {
    span: (spanName, attributes, work, options = {}) =>
      tracer.startActiveSpan(spanName, { attributes, kind: kinds[options.kind ?? "internal"] }, parentOf(options), async (span) => {
        try {
          return await work(handleOf(span));
        } catch (error) {
          recordError(span, error);
          throw error;
        } finally {
          span.end();
        }
      }),
    startSpan(spanName, attributes, options = {}) {
      const span = tracer.startSpan(spanName, { attributes, kind: kinds[options.kind ?? "internal"] }, parentOf(options));
      let ended = false;
      return {
        ...handleOf(span),
        activate: (work) => context.with(trace.setSpan(context.active(), span), work),
        end() {
          if (ended) return;
          ended = true;
          span.end();
        },
      };
    },
  };
}

/** The active context, or the remote one a `traceparent` header names. */
const parentOf = (options: SpanOptions) =>
  options.carrier === undefined ? context.active() : propagation.extract(context.active(), options.carrier);

function handleOf(span: Span): Omit<OpenSpan, "end" | "activate"> {
  return {
    setAttributes: (attributes) => void span.setAttributes(attributes),
    recordError: (error) => recordError(span, error),
  };
}

function recordError(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : undefined;
  if (error instanceof Error) span.recordException(error);
  if (code !== undefined) span.setAttribute("grompt.error_code", code);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
