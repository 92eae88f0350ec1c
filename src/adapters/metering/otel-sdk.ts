/**
 * Starts the OpenTelemetry SDK with an OTLP/HTTP trace exporter. Loaded (with its ~170 ms of
 * modules) only when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set; the
 * exporter reads the endpoint, headers and timeouts from the standard OTEL_* variables. Only traces:
 * metrics are served by /metrics, logs are pino's.
 */
export async function startOtelSdk(service: { name: string }): Promise<{ shutdown(): Promise<void> }> {
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([import("@opentelemetry/sdk-node"), import("@opentelemetry/exporter-trace-otlp-http")]);
  const sdk = new NodeSDK({
    serviceName: service.name,
    traceExporter: new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/** True when the standard variables ask for traces to be exported. */
export const otlpTracesRequested = (env: NodeJS.ProcessEnv): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== "true";
