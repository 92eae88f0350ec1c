import "../support/loopback-only";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Job } from "../../src/core/domain/job";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";
import { waitFor } from "../support/engine";
import { parsePrometheusText, valueOf } from "../support/prometheus-text";

let openai: FakeServer;
let daemon: TestDaemon;
beforeAll(async () => {
  openai = await startFakeServer("openai");
  daemon = await startTestDaemon({ env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl } });
});
afterAll(async () => {
  await daemon.close();
  await openai.close();
});

const scrape = async () => {
  const response = await daemon.request("/metrics");
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text()).samples;
};

it("serves /metrics in the Prometheus text format, and the figures move with the work done", async () => {
  const before = await scrape();
  const job = { purpose: "craft", provider: "openai", model: "gpt-4.1-mini", state: "done" };
  openai.enqueue({ kind: "text", text: "metered", usage: { prompt: 200, completion: 100 } });
  const created = (await (await daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["metrics"] }) })).json()) as Job;
  await waitFor(async () => ((await (await daemon.request(`/v1/jobs/${created.id}`)).json()) as Job).state === "done");
  const after = await scrape();
  expect(valueOf(after, "grompt_job_latency_seconds_count", job) - valueOf(before, "grompt_job_latency_seconds_count", job)).toBe(1);
  expect(valueOf(after, "grompt_tokens_total", { provider: "openai", type: "prompt" }) - valueOf(before, "grompt_tokens_total", { provider: "openai", type: "prompt" })).toBe(200);
  expect(valueOf(after, "grompt_tokens_total", { provider: "openai", type: "completion" }) - valueOf(before, "grompt_tokens_total", { provider: "openai", type: "completion" })).toBe(100);
  expect(valueOf(after, "grompt_cost_cents_total", { provider: "openai" })).toBeCloseTo((200 * 0.4 + 100 * 1.6) / 10_000, 6);
  expect(valueOf(after, "grompt_cache_misses_total")).toBeGreaterThan(valueOf(before, "grompt_cache_misses_total"));
  const posts = { method: "POST", route: "/v1/jobs/craft", status: "202" };
  expect(valueOf(after, "grompt_http_request_duration_seconds_count", posts) - valueOf(before, "grompt_http_request_duration_seconds_count", posts)).toBe(1);
  // The same job is not counted again by a later scrape.
  const again = await scrape();
  expect(valueOf(again, "grompt_job_latency_seconds_count", job)).toBe(valueOf(after, "grompt_job_latency_seconds_count", job));
});
