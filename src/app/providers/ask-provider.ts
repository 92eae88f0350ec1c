import type { GenOptions, GenResult } from "../../core/ports/provider-port";
import type { ProviderRequest, ProviderService } from "./provider-service";

export interface AskRequest extends ProviderRequest {
  text: string;
  system?: string;
  options?: GenOptions;
  noCache?: boolean;
  signal?: AbortSignal;
  /** Receives the answer as it streams; omit to wait for the whole answer. */
  onChunk?: (chunk: string) => void;
}

export interface AskOutcome {
  result: GenResult;
  /** The registered name that answered (`replay` for a cassette). */
  name: string;
  latencyMs: number;
}

/** One prompt to one provider, streamed when asked: the smallest use of a provider (`grompt ask`). */
export async function askProvider(providers: ProviderService, request: AskRequest): Promise<AskOutcome> {
  const started = performance.now();
  const provider = await providers.resolve(request);
  const input = request.system === undefined ? { user: request.text } : { system: request.system, user: request.text };
  const call = { signal: request.signal, noCache: request.noCache };
  if (request.onChunk === undefined || provider.stream === undefined) {
    const result = await provider.generate(input, request.options, call);
    request.onChunk?.(result.text);
    return { result, name: provider.name, latencyMs: Math.round(performance.now() - started) };
  }
  let finished: GenResult | undefined;
  const chunks: string[] = [];
  for await (const chunk of provider.stream(input, request.options, {
    ...call,
    onEvent: (event) => {
      if (event.type === "provider-call-finished") finished = event.result;
    },
  })) {
    chunks.push(chunk);
    request.onChunk(chunk);
  }
  const result = finished ?? { text: chunks.join(""), provider: provider.id, model: provider.model };
  return { result, name: provider.name, latencyMs: Math.round(performance.now() - started) };
}
