import type { CreateJobOutcome } from "../../core/ports/store-port";
import { craftInputs } from "../craft/craft-inputs";
import type { CreateJobRequest } from "../jobs/create-job";
import type { JobUseCases } from "../jobs/job-use-cases";
import type { ProviderService } from "../providers/provider-service";

/** A `POST /v1/jobs/craft` body (DESIGN §5), already checked against its JSON schema. */
export interface CraftJobBody {
  ideas: string[];
  purpose?: string;
  lang?: string;
  maxTokens?: number;
  provider?: string;
  model?: string;
  sessionId?: string;
}

/** Validates a craft request, resolves its provider (a missing key fails here) and creates the queued craft job. */
export async function createCraftJobFromBody(
  body: CraftJobBody,
  context: { scope: string; idempotency?: CreateJobRequest["idempotency"] },
  deps: { jobs: Pick<JobUseCases, "create">; providers: Pick<ProviderService, "resolve"> },
): Promise<CreateJobOutcome> {
  const { vars } = craftInputs(body);
  const provider = await deps.providers.resolve({ provider: body.provider, model: body.model });
  const input: Record<string, unknown> = { ideas: vars.ideas, purpose: vars.purpose, providerName: provider.name, scope: context.scope };
  if (vars.language !== undefined) input.lang = vars.language;
  if (vars.max_tokens !== undefined) input.maxTokens = Number(vars.max_tokens);
  return deps.jobs.create({ purpose: "craft", provider: provider.id, model: provider.model, input, sessionId: body.sessionId, idempotency: context.idempotency });
}
