import type { JobEvent } from "../../core/domain/job-events";
import type { GenInput, GenOptions, GenResult, ModelProvider, ProviderCall, ProviderCallEvent } from "../../core/ports/provider-port";
import type { JobContext, JobTotals } from "../runner/job-handler";
import { createJobEventWriter } from "./job-event-writer";
import { addCallToTotals } from "./job-totals";
import { ulidFactory } from "../ids/ulid-factory";

export interface JobCallRequest {
  provider: ModelProvider;
  input: GenInput;
  options: GenOptions;
  /** What the call is for, as the `provider-call-started` event says (the registry prompt's id). */
  purpose: string;
  /** The job's usage and cost before this call; the result carries them after it. */
  totals: JobTotals;
  /** Skip the response cache (`--no-cache`). */
  noCache?: boolean;
  /** Who pays, in the usage ledger ("cli", or the daemon's token id). */
  scope?: string;
  /** Chunk batching (see createJobEventWriter). */
  batching?: { intervalMs?: number; maxChars?: number };
}

export interface JobCallResult {
  /** The whole answer. */
  text: string;
  result: GenResult;
  /** The job's usage and cost including this call (already stored on the job). */
  totals: JobTotals;
  latencyMs: number;
}

const nextCallId = ulidFactory();

/**
 * One provider call of a job, streamed into the job's event log: `provider-call-started`, the
 * answer as batched `provider-chunk` events while it arrives, `provider-retried` for each retry,
 * then `provider-call-finished` stored together with the job's new usage and cost. Aborting the
 * job's signal aborts the HTTP request.
 */
export async function streamJobCall(ctx: JobContext, request: JobCallRequest): Promise<JobCallResult> {
  const { provider } = request;
  const callId = nextCallId();
  const started = performance.now();
  await ctx.emit({ type: "provider-call-started", callId, provider: provider.id, model: provider.model, purpose: request.purpose });
  const writer = createJobEventWriter({ callId, write: (events) => ctx.emit(...events), ...request.batching });
  let finished: GenResult | undefined;
  const call: ProviderCall = {
    signal: ctx.signal,
    callId,
    jobId: ctx.job.id,
    sessionId: ctx.job.sessionId,
    scope: request.scope,
    noCache: request.noCache,
    onEvent: (event: ProviderCallEvent) => {
      if (event.type === "provider-call-finished") finished = event.result;
      else if (event.type === "provider-retried") {
        const { type, ...retry } = event;
        // A failed write surfaces at the next chunk or at the flush, not inside the provider.
        ignoreFailure(() => writer.event({ type, callId, ...retry }));
      }
    },
  };

  let text = "";
  try {
    if (provider.stream === undefined) {
      const result = await provider.generate(request.input, request.options, call);
      finished ??= result;
      text = result.text;
      writer.chunk(text);
    } else {
      const chunks: string[] = [];
      for await (const chunk of provider.stream(request.input, request.options, call)) {
        chunks.push(chunk);
        writer.chunk(chunk);
      }
      text = chunks.join("");
    }
  } catch (error) {
    // Keep what arrived before the failure in the log; the failure itself is what matters.
    await writer.flush().catch(() => undefined);
    throw error;
  }
  await writer.flush();

  const latencyMs = Math.round(performance.now() - started);
  const result: GenResult = finished === undefined ? { text, provider: provider.id, model: provider.model } : { ...finished, text };
  const totals = addCallToTotals(request.totals, result);
  const event: Extract<JobEvent, { type: "provider-call-finished" }> = {
    type: "provider-call-finished",
    callId,
    costMicros: result.costMicros ?? null,
    cached: result.cached === true,
    latencyMs,
  };
  if (result.usage !== undefined) event.usage = result.usage;
  if (result.finishReason !== undefined) event.finishReason = result.finishReason;
  await ctx.record(totals, event);
  return { text, result, totals, latencyMs };
}

function ignoreFailure(write: () => void): void {
  try {
    write();
  } catch {
    // reported by the writer's next chunk or flush
  }
}
