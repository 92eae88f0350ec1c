import { isAbsolute, resolve } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { GromptConfig } from "../config/config-schema";
import type { CreateJobRequest } from "../jobs/create-job";
import type { JobUseCases } from "../jobs/job-use-cases";
import type { PromptRegistry } from "../prompts/load-prompt-registry";
import type { ProviderService } from "../providers/provider-service";
import type { CreateJobOutcome } from "../../core/ports/store-port";
import { type EvolveJobInput, evolveJobInputSchema } from "./evolve-job-input";
import { type EvolveChecks, evolveChecks, evolveSettings, loadProjectConfig, requireProjectDir } from "./evolve-settings";

/** `grompt evolve` flags or a `POST /v1/jobs/evolve` body, plus how to reach the provider. */
export interface EvolveJobRequest {
  instruction: string;
  /** Absolute path of the project directory. */
  cwd: string;
  include?: string[];
  exclude?: string[];
  /** "name" or "name:model" (default: `defaults.provider`). */
  provider?: string;
  model?: string;
  prompt?: string;
  checks?: string[];
  maxRounds?: number;
  sessionId?: string;
  validate?: boolean;
  /** Absolute paths of the cassette to answer from / to record into. */
  cassette?: string;
  record?: string;
  noCache?: boolean;
  /** Who pays in the usage ledger (default "cli"). */
  scope?: string;
  idempotency?: CreateJobRequest["idempotency"];
}

export interface CreatedEvolveJob extends CreateJobOutcome {
  /** The registered provider name that will answer (`replay` for a cassette). */
  providerName: string;
  /** The checks the job will run. */
  checks: EvolveChecks;
}

export interface CreateEvolveJobDeps {
  jobs: Pick<JobUseCases, "create">;
  providers: Pick<ProviderService, "resolve">;
  /** The prompt registry (the first round's prompt must answer with a diff). */
  prompts: () => Pick<PromptRegistry, "get">;
  /** Reads the project's configuration (default: the layered config of `cwd`). */
  projectConfig?: (cwd: string) => GromptConfig;
}

/**
 * Validates an evolve request — the directory, the provider (a missing key fails here, before
 * anything is written), the prompt's purpose, the checks it names — and creates the queued
 * refactor job any runner (this process, another CLI, the daemon) can execute.
 */
export async function createEvolveJob(request: EvolveJobRequest, deps: CreateEvolveJobDeps): Promise<CreatedEvolveJob> {
  const cwd = requireProjectDir(request.cwd);
  for (const [field, path] of [["cassette", request.cassette], ["record", request.record]] as const) {
    if (path !== undefined && !isAbsolute(path)) throw new GromptError("invalid_input", `${field} must be an absolute path, not ${JSON.stringify(path)}`, { details: { field } });
  }
  const project = (deps.projectConfig ?? loadProjectConfig)(cwd);
  const draft: EvolveJobInput = { instruction: request.instruction, cwd: resolve(cwd) };
  const parsed = evolveJobInputSchema.safeParse({ ...draft, include: request.include, exclude: request.exclude, prompt: request.prompt, checks: request.checks, maxRounds: request.maxRounds, validate: request.validate });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "input";
    throw new GromptError("invalid_input", `${field}: ${issue?.message ?? "not valid"}`, { details: { field } });
  }
  const settings = evolveSettings(parsed.data, project);
  const prompt = deps.prompts().get(settings.promptId).prompt;
  if (prompt.output.format !== "diff") {
    throw new GromptError("invalid_input", `prompt ${settings.promptId} answers in ${prompt.output.format}, but evolve needs a prompt whose output format is diff`, {
      hint: "Pick a refactor prompt (grompt prompts list), such as refactor-small.",
    });
  }
  const checks = await evolveChecks(cwd, project, { names: request.checks, validate: settings.validate });
  const provider = await deps.providers.resolve({ provider: request.provider, model: request.model, cassette: request.cassette, record: request.record });

  const input: EvolveJobInput = { ...parsed.data, provider: provider.name, model: provider.model };
  if (request.sessionId !== undefined) input.sessionId = request.sessionId;
  if (request.cassette !== undefined) input.cassette = request.cassette;
  if (request.record !== undefined) input.record = request.record;
  if (request.noCache === true) input.noCache = true;
  if (request.scope !== undefined) input.scope = request.scope;
  const outcome = await deps.jobs.create({ purpose: "refactor", provider: provider.id, model: provider.model, input: dropUndefined(input), sessionId: request.sessionId, idempotency: request.idempotency });
  return { ...outcome, providerName: provider.name, checks };
}

const dropUndefined = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
