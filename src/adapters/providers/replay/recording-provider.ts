import type { GenInput, GenOptions, GenResult, ModelProvider } from "../../../core/ports/provider-port";
import { normalizeRequest, requestKey } from "../shared/request-key";
import { type CassetteEntry, upsertEntry } from "./cassette";
import { readCassetteFile, writeCassetteFile } from "./cassette-file";

/**
 * Wraps any provider and saves each successful request → answer into a cassette (JSONL, one line
 * per request hash) that `--provider replay --cassette` answers from. Failed or abandoned calls
 * are not recorded. The file is rewritten atomically after each answer.
 */
export function createRecordingProvider(inner: ModelProvider, cassette: string): ModelProvider {
  let entries = readCassetteFile(cassette, { allowMissing: true });
  let writes = Promise.resolve();

  const save = (input: GenInput, options: GenOptions | undefined, result: GenResult, chunks?: string[]): Promise<void> => {
    const request = normalizeRequest({ provider: inner.id, model: inner.model, input, options });
    const response: CassetteEntry["response"] = { text: result.text, provider: result.provider, model: result.model };
    if (result.usage !== undefined) response.usage = result.usage;
    if (result.finishReason !== undefined) response.finishReason = result.finishReason;
    if (chunks !== undefined) response.chunks = chunks;
    const entry: CassetteEntry = { version: 1, hash: requestKey(request), request, response, recordedAt: new Date().toISOString() };
    // One write at a time, in call order, so concurrent calls never lose each other's lines.
    writes = writes.then(() => {
      entries = upsertEntry(entries, entry);
      writeCassetteFile(cassette, entries);
    });
    return writes;
  };

  const generate: ModelProvider["generate"] = async (input, options, call) => {
    const result = await inner.generate(input, options, call);
    await save(input, options, result);
    return result;
  };

  return {
    id: inner.id,
    model: inner.model,
    endpoint: inner.endpoint,
    billable: inner.billable,
    generate,
    async *stream(input, options, call) {
      let finished: GenResult | undefined;
      const chunks: string[] = [];
      const source = inner.stream?.(input, options, {
        ...call,
        onEvent: (event) => {
          if (event.type === "provider-call-finished") finished = event.result;
          call?.onEvent?.(event);
        },
      });
      if (source === undefined) {
        const result = await generate(input, options, call);
        yield result.text;
        return;
      }
      for await (const chunk of source) {
        chunks.push(chunk);
        yield chunk;
      }
      const text = chunks.join("");
      await save(input, options, finished === undefined ? { text, provider: inner.id, model: inner.model } : { ...finished, text }, chunks);
    },
  };
}
