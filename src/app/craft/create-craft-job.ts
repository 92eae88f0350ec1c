import { isAbsolute } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { CreateJobOutcome } from "../../core/ports/store-port";
import type { CreateJobRequest } from "../jobs/create-job";
import type { JobUseCases } from "../jobs/job-use-cases";
import type { ProviderService } from "../providers/provider-service";
import { type CraftInputs, type CraftRequest, craftInputs } from "./craft-inputs";
import type { CraftJobInput } from "./craft-job-input";

/** `grompt craft` flags or a `POST /v1/jobs/craft` body. */
export interface CraftJobRequest extends CraftRequest {
  /** "name" or "name:model" (default: `defaults.provider`). */
  provider?: string;
  model?: string;
  /** Absolute path: answer from this cassette (the replay provider). */
  cassette?: string;
  /** Absolute path: save the answer into this cassette. */
  record?: string;
  noCache?: boolean;
  sessionId?: string;
  /** Who pays in the usage ledger (default "cli"). */
  scope?: string;
  idempotency?: CreateJobRequest["idempotency"];
}

export interface CreatedCraftJob extends CreateJobOutcome {
  inputs: CraftInputs;
  /** The registered provider name that will answer (`replay` for a cassette). */
  providerName: string;
}

/**
 * Validates a craft request, resolves its provider (so a missing key or an unknown provider fails
 * here, before anything is written) and creates the queued craft job any runner can execute.
 */
export async function createCraftJob(
  request: CraftJobRequest,
  deps: { jobs: Pick<JobUseCases, "create">; providers: Pick<ProviderService, "resolve"> },
): Promise<CreatedCraftJob> {
  const inputs = craftInputs(request);
  for (const [flag, path] of [["cassette", request.cassette], ["record", request.record]] as const) {
    if (path !== undefined && !isAbsolute(path)) {
      throw new GromptError("invalid_input", `${flag} must be an absolute path, not ${JSON.stringify(path)}`, { details: { field: flag } });
    }
  }
  const provider = await deps.providers.resolve({ provider: request.provider, model: request.model, cassette: request.cassette, record: request.record });
  const input: CraftJobInput = { ideas: inputs.vars.ideas, purpose: inputs.vars.purpose, providerName: provider.name };
  if (inputs.vars.language !== undefined) input.lang = inputs.vars.language;
  if (inputs.vars.max_tokens !== undefined) input.maxTokens = Number(inputs.vars.max_tokens);
  if (request.cassette !== undefined) input.cassette = request.cassette;
  if (request.record !== undefined) input.record = request.record;
  if (request.noCache === true) input.noCache = true;
  if (request.scope !== undefined) input.scope = request.scope;
  const outcome = await deps.jobs.create({
    purpose: "craft",
    provider: provider.id,
    model: provider.model,
    input,
    sessionId: request.sessionId,
    idempotency: request.idempotency,
  });
  return { ...outcome, inputs, providerName: provider.name };
}
