import { resolve } from "node:path";
import { GromptError } from "../../../core/domain/errors";
import type { GenInput, GenOptions, GenResult, ModelProvider, ProviderCall } from "../../../core/ports/provider-port";
import { normalizeRequest, requestKey } from "../shared/request-key";
import type { CassetteEntry } from "./cassette";
import { readCassetteFile } from "./cassette-file";

/**
 * Answers from a cassette recorded with `--record`: no key, no network, the same answer every time.
 * It reports the vendor that recorded the answer, so jobs still carry a real ProviderId, and it
 * is not billable (its answers cost nothing and never enter the response cache).
 */
export function createReplayProvider(options: { cassette: string; model?: string }): ModelProvider {
  const file = resolve(options.cassette);
  const entries = readCassetteFile(file, { allowMissing: false });
  const first = entries[0];
  if (first === undefined) {
    throw new GromptError("invalid_input", `Cassette ${file} holds no recordings`, { hint: "Record into it first with --record.", details: { file } });
  }
  const model = options.model ?? first.request.model;
  const byHash = new Map(entries.map((entry) => [entry.hash, entry]));
  // The vendors that recorded this model; the first recording's vendor is the one the provider reports.
  const vendors = [...new Set(entries.filter((e) => e.request.model === model).map((e) => e.request.provider))];
  const id = first.request.model === model ? first.response.provider : (entries.find((e) => e.request.model === model)?.response.provider ?? first.response.provider);

  const find = (input: GenInput, options?: GenOptions): CassetteEntry => {
    const hashes = (vendors.length > 0 ? vendors : [id]).map((provider) => requestKey(normalizeRequest({ provider, model, input, options })));
    for (const hash of hashes) {
      const entry = byHash.get(hash);
      if (entry !== undefined) return entry;
    }
    const hash = hashes[0] ?? "";
    throw new GromptError("replay_miss", `${file} has no recording of this request (hash ${hash}, model ${model})`, {
      hint: "Record it first with the same inputs and --record, or check the model and options.",
      details: { hash, cassette: file, model },
    });
  };

  const resultOf = (entry: CassetteEntry): GenResult => {
    const result: GenResult = { text: entry.response.text, provider: entry.response.provider, model: entry.response.model };
    if (entry.response.usage !== undefined) result.usage = entry.response.usage;
    if (entry.response.finishReason !== undefined) result.finishReason = entry.response.finishReason;
    return result;
  };

  const checkSignal = (call: ProviderCall | undefined) => {
    if (call?.signal?.aborted === true) throw new GromptError("canceled", "replay: the call was canceled", { retryable: false });
  };

  return {
    id,
    model,
    billable: false,
    async generate(input, genOptions, call) {
      checkSignal(call);
      return resultOf(find(input, genOptions));
    },
    async *stream(input, genOptions, call) {
      const started = performance.now();
      const entry = find(input, genOptions);
      for (const chunk of entry.response.chunks ?? [entry.response.text]) {
        checkSignal(call);
        yield chunk;
      }
      call?.onEvent?.({ type: "provider-call-finished", result: resultOf(entry), latencyMs: performance.now() - started });
    },
  };
}
