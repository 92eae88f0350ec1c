import { type GromptError, toGromptError } from "../../core/domain/errors";
import type { GenResult } from "../../core/ports/provider-port";
import type { ProviderService } from "./provider-service";

export type ProviderCheck =
  | { name: string; model: string; ok: true; latencyMs: number; result: GenResult }
  | { name: string; model?: string; ok: false; latencyMs: number; error: GromptError };

/** The prompt of `grompt providers test`: a few tokens, never served from the cache. */
export const checkPrompt = { user: "Reply with the single word: pong" };

/**
 * One tiny real call per provider (`grompt providers test`, `POST /v1/providers/test`); `scope` says
 * who pays in the usage ledger (the daemon's token; "cli" by default).
 */
export async function checkProvider(providers: ProviderService, spec: { provider: string; model?: string; scope?: string }): Promise<ProviderCheck> {
  const started = performance.now();
  const provider = await providers.resolve({ provider: spec.provider, model: spec.model });
  try {
    const result = await provider.generate(checkPrompt, { maxTokens: 32 }, { noCache: true, scope: spec.scope });
    return { name: provider.name, model: provider.model, ok: true, latencyMs: Math.round(performance.now() - started), result };
  } catch (error) {
    return { name: provider.name, model: provider.model, ok: false, latencyMs: Math.round(performance.now() - started), error: toGromptError(error) };
  }
}

/** Checks every configured vendor (stand-ins such as replay have nothing to check). */
export async function checkConfiguredProviders(providers: ProviderService): Promise<ProviderCheck[]> {
  const configured = providers.list().filter((entry) => entry.configured && entry.name !== "replay");
  return Promise.all(configured.map((entry) => checkProvider(providers, { provider: entry.name })));
}
