import { GromptError } from "../../../core/domain/errors";
import type { ProviderId } from "../../../core/ports/provider-port";
import type { GromptConfig } from "../../config/config-schema";
import type { ProviderRequest, ProviderService } from "../../providers/provider-service";
import type { PromptRegistry, RegistryEntry } from "../load-prompt-registry";
import { type EvalCaseResult, type EvalRunReport, type RunEvalsDeps, runEvals } from "./run-evals";

export interface PromptEvalsRequest extends ProviderRequest {
  /** Prompt ids to evaluate; every prompt of the registry when empty. */
  ids?: readonly string[];
  noCache?: boolean;
  signal?: AbortSignal;
  /** Who pays in the usage ledger (default "cli"). */
  scope?: string;
  onCaseFinished?: (result: EvalCaseResult, index: number, total: number) => void;
  onCaseStarted?: (promptId: string, caseName: string, index: number, total: number) => void;
}

export interface PromptEvalsOutcome extends EvalRunReport {
  /** Who answered: the registered name (`replay` for a cassette), the vendor and the model. */
  provider: { name: string; id: ProviderId; model: string };
}

export interface PromptEvalsDeps extends RunEvalsDeps {
  config: Pick<GromptConfig, "flags">;
  prompts: () => PromptRegistry;
  providers: Pick<ProviderService, "resolve">;
}

/**
 * `grompt prompts eval`: every eval case of the chosen prompts through one provider (a vendor, or a
 * cassette for a keyless CI gate). Refused while `flags.evalLite` is off; unknown ids and a
 * selection without any case are usage errors, found before any call.
 */
export async function runPromptEvals(request: PromptEvalsRequest, deps: PromptEvalsDeps): Promise<PromptEvalsOutcome> {
  if (!deps.config.flags.evalLite) {
    throw new GromptError("usage", "prompt evals are turned off (flags.evalLite is false)", {
      hint: "Turn them on with FF_EVAL_LITE=1, or `flags: { evalLite: true }` in .grompt/config.yaml.",
    });
  }
  const registry = deps.prompts();
  const ids = [...new Set(request.ids ?? [])];
  const entries: readonly RegistryEntry[] = ids.length === 0 ? registry.entries : ids.map((id) => registry.get(id));
  const total = entries.reduce((sum, entry) => sum + entry.prompt.evals.length, 0);
  if (total === 0) {
    const which = ids.length === 0 ? "no prompt in the registry has" : `${ids.join(", ")} ${ids.length === 1 ? "has" : "have"}`;
    throw new GromptError("invalid_input", `${which} no eval cases to run`, {
      hint: "Add cases under `evals:` in the prompt file (see README, Prompt registry).",
    });
  }
  const provider = await deps.providers.resolve({ provider: request.provider, model: request.model, cassette: request.cassette, record: request.record });
  const call = { signal: request.signal, noCache: request.noCache, scope: request.scope };
  let started = 0;
  let finished = 0;
  const report = await runEvals(
    {
      prompts: entries.map((entry) => ({ prompt: entry.prompt, file: entry.file })),
      generate: (input, options) => provider.generate(input, options, call),
      settings: { jsonMode: deps.config.flags.jsonMode },
      onCaseStarted: (promptId, caseName) => {
        stopIfAborted(request.signal);
        request.onCaseStarted?.(promptId, caseName, (started += 1), total);
      },
      onCaseFinished: (result) => request.onCaseFinished?.(result, (finished += 1), total),
    },
    deps,
  );
  // A case cut short by Ctrl-C is not a failed case: the run as a whole was interrupted.
  stopIfAborted(request.signal);
  return { ...report, provider: { name: provider.name, id: provider.id, model: provider.model } };
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new GromptError("interrupted", "the evals were interrupted; no verdict");
}
