import { describe, expect, it } from "vitest";
import { createPrometheusMetering } from "../../../src/adapters/metering/prometheus-metering";
import { createMeteringHub } from "../../../src/app/metering/metering-hub";
import type { PersistedMetrics } from "../../../src/core/ports/metering-port";
import { parsePrometheusText, valueOf } from "../../support/prometheus-text";

const tracer = createMeteringHub();
const labels = { provider: "openai", model: "gpt-4.1-mini" };

describe("Prometheus metering", () => {
  it("counts this process's observations when nothing is read from a store", async () => {
    const metrics = createPrometheusMetering({ tracer, processMetrics: false });
    metrics.tokensUsed(labels, { prompt: 10, completion: 5 });
    metrics.costIncurred(labels, 0.25);
    metrics.providerRetried({ ...labels, code: "rate_limited" });
    metrics.cacheLookup(true);
    metrics.cacheLookup(false);
    metrics.cacheLookup(false);
    metrics.jobFinished({ purpose: "craft", ...labels, state: "done" }, 1.2);
    metrics.streamBackpressure();
    metrics.httpRequestFinished({ method: "POST", route: "/v1/jobs/craft", status: 202 }, 0.003);
    const { samples, types } = parsePrometheusText(await metrics.render());
    expect(types.get("grompt_job_latency_seconds")).toBe("histogram");
    expect(types.get("grompt_tokens_total")).toBe("counter");
    expect(valueOf(samples, "grompt_tokens_total", { ...labels, type: "prompt" })).toBe(10);
    expect(valueOf(samples, "grompt_tokens_total", { ...labels, type: "completion" })).toBe(5);
    expect(valueOf(samples, "grompt_cost_cents_total", labels)).toBe(0.25);
    expect(valueOf(samples, "grompt_provider_retries_total", { code: "rate_limited" })).toBe(1);
    expect(valueOf(samples, "grompt_cache_hits_total")).toBe(1);
    expect(valueOf(samples, "grompt_cache_misses_total")).toBe(2);
    expect(valueOf(samples, "grompt_stream_backpressure_events_total")).toBe(1);
    expect(valueOf(samples, "grompt_job_latency_seconds_count", { purpose: "craft", state: "done" })).toBe(1);
    expect(valueOf(samples, "grompt_job_latency_seconds_bucket", { state: "done", le: "2.5" })).toBe(1);
    expect(valueOf(samples, "grompt_job_latency_seconds_bucket", { state: "done", le: "1" })).toBe(0);
    expect(valueOf(samples, "grompt_http_request_duration_seconds_count", { method: "POST", route: "/v1/jobs/craft", status: "202" })).toBe(1);
  });

  it("serves what the store covers from the store — every process counted once — and the rest in process", async () => {
    const reads: PersistedMetrics[] = [
      { usage: [{ ...labels, promptTokens: 100, completionTokens: 50, costMicros: 1_200, calls: 2 }], newlyFinishedJobs: [{ purpose: "craft", ...labels, state: "done", seconds: 0.5 }] },
      { usage: [{ ...labels, promptTokens: 130, completionTokens: 60, costMicros: 1_500, calls: 3 }], newlyFinishedJobs: [{ purpose: "refactor", ...labels, state: "error", seconds: 40 }] },
    ];
    const metrics = createPrometheusMetering({
      tracer,
      processMetrics: true,
      persisted: { covers: { usage: true, cache: false, retries: false, jobs: true }, read: async () => reads.shift() ?? {} },
    });
    // Already in the store's totals: not counted again.
    metrics.tokensUsed(labels, { prompt: 999, completion: 999 });
    metrics.jobFinished({ purpose: "craft", ...labels, state: "done" }, 0.5);
    // Not covered by the store: counted here.
    metrics.cacheLookup(true);
    const first = parsePrometheusText(await metrics.render()).samples;
    expect(valueOf(first, "grompt_tokens_total", { type: "prompt" })).toBe(100);
    expect(valueOf(first, "grompt_cost_cents_total", labels)).toBe(0.12);
    expect(valueOf(first, "grompt_cache_hits_total")).toBe(1);
    expect(valueOf(first, "grompt_job_latency_seconds_count", { purpose: "craft" })).toBe(1);
    expect(first.some((sample) => sample.name === "process_cpu_user_seconds_total")).toBe(true);
    const second = parsePrometheusText(await metrics.render()).samples;
    expect(valueOf(second, "grompt_tokens_total", { type: "prompt" })).toBe(130);
    expect(valueOf(second, "grompt_tokens_total", { type: "completion" })).toBe(60);
    // The job histogram keeps what earlier scrapes saw and adds the newly finished.
    expect(valueOf(second, "grompt_job_latency_seconds_count", { purpose: "craft" })).toBe(1);
    expect(valueOf(second, "grompt_job_latency_seconds_count", { purpose: "refactor", state: "error" })).toBe(1);
  });
});
