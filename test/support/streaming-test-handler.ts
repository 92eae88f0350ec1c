import type { Container } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import type { GenResult } from "../../src/core/ports/provider-port";

/** A craft-shaped handler over the container's real providers: streams the answer into provider-chunk events. */
export const streamingTestHandler =
  (container: Container): JobHandler =>
  async (ctx) => {
    await ctx.advance("prompting");
    const input = ctx.job.input as { ideas: string[]; providerName: string; scope?: string };
    const provider = await container.providers.resolve({ provider: input.providerName, model: ctx.job.model });
    const callId = `call-${ctx.job.id}-${ctx.job.attempts ?? 0}`;
    await ctx.emit({ type: "provider-call-started", callId, provider: provider.id, model: provider.model, purpose: "test" });
    let text = "";
    let finished: GenResult | undefined;
    const call = { signal: ctx.signal, jobId: ctx.job.id, callId, scope: input.scope, onEvent: (event: { type: string; result?: GenResult }) => void (event.type === "provider-call-finished" && (finished = event.result)) };
    for await (const chunk of provider.stream?.({ user: input.ideas.join("\n") }, {}, call) ?? []) {
      text += chunk;
      await ctx.emit({ type: "provider-chunk", callId, text: chunk });
    }
    return { result: { text }, usage: finished?.usage, costMicros: finished?.costMicros };
  };
