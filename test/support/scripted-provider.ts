import type { GenInput, GenOptions, GenResult, ModelProvider, ProviderCall } from "../../src/core/ports/provider-port";

/** One step of a scripted provider: an answer (streamed as its chunks), an error, or silence. */
export type Step = { text: string; chunks?: string[]; usage?: GenResult["usage"]; model?: string } | { error: Error } | { hang: true; ignoreSignal?: boolean };

/**
 * An in-memory ModelProvider that plays steps in order (the last one repeats) and remembers what it
 * was asked — a double for policy tests, where the vendor's wire format does not matter.
 */
export function scriptedProvider(steps: Step[], identity: Partial<Pick<ModelProvider, "id" | "model" | "billable" | "endpoint">> = {}) {
  const calls: { input: GenInput; options?: GenOptions; signal?: AbortSignal }[] = [];
  let index = 0;
  const next = (): Step => steps[Math.min(index++, steps.length - 1)] as Step;
  const id = identity.id ?? "openai";
  const model = identity.model ?? "gpt-4.1-mini";
  const resultOf = (step: { text: string; usage?: GenResult["usage"]; model?: string }): GenResult => ({
    text: step.text,
    provider: id,
    model: step.model ?? model,
    usage: step.usage ?? { prompt: 1000, completion: 500, total: 1500 },
    finishReason: "stop",
  });
  const wait = (signal: AbortSignal | undefined, ignoreSignal: boolean) =>
    new Promise<never>((_, reject) => {
      if (!ignoreSignal) signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true });
    });

  const provider: ModelProvider & { calls: typeof calls } = {
    id,
    model,
    billable: identity.billable,
    endpoint: identity.endpoint,
    calls,
    async generate(input: GenInput, options?: GenOptions, call?: ProviderCall) {
      calls.push({ input, options, signal: call?.signal });
      const step = next();
      if ("error" in step) throw step.error;
      if ("hang" in step) return wait(call?.signal, step.ignoreSignal === true);
      return resultOf(step);
    },
    async *stream(input: GenInput, options?: GenOptions, call?: ProviderCall) {
      calls.push({ input, options, signal: call?.signal });
      const step = next();
      if ("error" in step) throw step.error;
      if ("hang" in step) return yield* [await wait(call?.signal, step.ignoreSignal === true)];
      for (const chunk of step.chunks ?? [step.text]) yield chunk;
      call?.onEvent?.({ type: "provider-call-finished", result: resultOf(step), latencyMs: 1 });
    },
  };
  return provider;
}
