import { GromptError } from "../../core/domain/errors";
import type { BlobPort } from "../../core/ports/blob-port";
import type { StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { storeJobArtifact } from "../jobs/store-job-artifact";
import { streamJobCall } from "../jobs/stream-job-call";
import type { PromptRegistry } from "../prompts/load-prompt-registry";
import { assertPromptAnswer, preparePromptCall } from "../prompts/prompt-call";
import type { ProviderService } from "../providers/provider-service";
import type { JobHandler } from "../runner/job-handler";
import { craftInputs } from "./craft-inputs";
import { readCraftJobInput } from "./craft-job-input";

/** The registry prompt every craft job runs (a project or user file with this id shadows it). */
export const craftPromptId = "craft-prompt";

/** The artifact a craft job stores: the crafted prompt, exactly as the model wrote it. */
export const craftedPromptArtifact = { name: "crafted-prompt.md", kind: "crafted-prompt", contentType: "text/markdown; charset=utf-8" } as const;

export interface CraftJobHandlerDeps {
  config: Pick<GromptConfig, "flags">;
  prompts: () => PromptRegistry;
  providers: Pick<ProviderService, "resolve">;
  blobs: BlobPort;
  store: Pick<StorePort, "recordArtifact">;
  /** Chunk batching of the streamed answer (tests shorten it). */
  batching?: { intervalMs?: number; maxChars?: number };
}

/**
 * queued → prompting → done: renders craft-prompt with the job's ideas, checks the input guards
 * before any call, streams the answer into the job's events, checks the output guards, and stores
 * the crafted prompt as the job's `crafted-prompt.md` artifact. Safe to run again on resume: the
 * state move is a no-op, the blob is content-addressed and the artifact is replaced by name.
 */
export function createCraftJobHandler(deps: CraftJobHandlerDeps): JobHandler {
  return async (ctx) => {
    await ctx.advance("prompting");
    const input = readCraftJobInput(ctx.job);
    const { vars, options } = craftInputs({ ideas: input.ideas, purpose: input.purpose, lang: input.lang, maxTokens: input.maxTokens });
    const { prompt } = deps.prompts().get(craftPromptId);
    const prepared = preparePromptCall(prompt, vars, { jsonMode: deps.config.flags.jsonMode, options });
    const provider = await deps.providers.resolve({ provider: input.providerName, model: ctx.job.model, cassette: input.cassette, record: input.record });
    ctx.logger.info({ prompt: prompt.id, version: prompt.version, inputTokens: prepared.measure.tokens }, "crafting a prompt");

    const call = await streamJobCall(ctx, {
      provider,
      input: prepared.input,
      options: prepared.options,
      purpose: prompt.id,
      totals: {},
      noCache: input.noCache,
      scope: input.scope,
      batching: deps.batching,
    });
    if (call.text.trim() === "") {
      throw new GromptError("job_failed", `${provider.id}:${provider.model} answered with an empty prompt`, {
        hint: "Try again, or with another model (--provider, --model).",
      });
    }
    assertPromptAnswer(prompt, call.text);
    const crafted = `${call.text.trimEnd()}\n`;
    const artifact = await storeJobArtifact(ctx, { ...craftedPromptArtifact, data: crafted }, deps);

    const result: Record<string, unknown> = {
      prompt: { id: prompt.id, version: prompt.version },
      purpose: input.purpose,
      artifact: artifact.name,
      sha256: artifact.sha256,
      bytes: artifact.bytes,
      latencyMs: call.latencyMs,
    };
    if (call.result.finishReason !== undefined) result.finishReason = call.result.finishReason;
    // The model ran into the token cap: the prompt is stored, but it may stop mid-sentence.
    if (call.result.finishReason === "length") result.truncated = true;
    if (call.result.cached === true) result.cached = true;
    return { result, usage: call.totals.usage, costMicros: call.totals.costMicros };
  };
}
