import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { CreateJobOutcome } from "../../core/ports/store-port";
import type { CreateJobRequest } from "../jobs/create-job";
import type { JobUseCases } from "../jobs/job-use-cases";
import type { PromptRegistry } from "../prompts/load-prompt-registry";
import type { ProviderService } from "../providers/provider-service";

/** A `POST /v1/jobs/evolve` body (DESIGN §5), already checked against its JSON schema. */
export interface EvolveJobBody {
  instruction: string;
  /** Absolute path on the daemon's machine, inside one of the served roots. */
  cwd: string;
  include?: string[];
  exclude?: string[];
  provider?: string;
  model?: string;
  /** Registry prompt id (default `evolve.prompt`). */
  prompt?: string;
  checks?: { name: string; run: string; timeout?: number }[];
  maxRounds?: number;
  sessionId?: string;
}

/**
 * What an evolve (refactor) job stores as its `input`: the request with `cwd` resolved to its real
 * path, the registered provider name to resolve again at run time, and who pays.
 */
export interface EvolveJobInput extends Omit<EvolveJobBody, "provider" | "model" | "sessionId"> {
  providerName: string;
  scope: string;
}

/**
 * Checks an evolve request — the working directory must be a real directory inside a served root
 * (symbolic links resolved, so none leads outside), the prompt and the provider must exist — and
 * creates the queued refactor job.
 */
export async function createEvolveJob(
  body: EvolveJobBody,
  context: { scope: string; roots: readonly string[]; idempotency?: CreateJobRequest["idempotency"] },
  deps: { jobs: Pick<JobUseCases, "create">; providers: Pick<ProviderService, "resolve">; prompts: () => PromptRegistry },
): Promise<CreateJobOutcome> {
  const cwd = await servedDirectory(body.cwd, context.roots);
  if (body.prompt !== undefined) deps.prompts().get(body.prompt);
  const provider = await deps.providers.resolve({ provider: body.provider, model: body.model });
  const { provider: _provider, model: _model, sessionId, ...request } = body;
  const input: EvolveJobInput = { ...request, cwd, providerName: provider.name, scope: context.scope };
  return deps.jobs.create({
    purpose: "refactor",
    provider: provider.id,
    model: provider.model,
    input: input as unknown as Record<string, unknown>,
    sessionId,
    idempotency: context.idempotency,
  });
}

/** The real path of `cwd` when it is a directory inside one of `roots` (themselves real paths). */
export async function servedDirectory(cwd: string, roots: readonly string[]): Promise<string> {
  if (!isAbsolute(cwd)) {
    throw new GromptError("invalid_input", `cwd must be an absolute path, not ${JSON.stringify(cwd)}`, { details: { field: "cwd" } });
  }
  let real: string;
  try {
    real = await realpath(cwd);
    if (!(await stat(real)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (error) {
    throw new GromptError("invalid_input", `cwd ${cwd} is not a directory on the daemon's machine`, {
      hint: "Send the absolute path of the repository as the daemon sees it.",
      details: { field: "cwd" },
      cause: error,
    });
  }
  if (!roots.some((root) => isInside(real, root))) {
    throw new GromptError("forbidden", `cwd ${cwd} is outside the directories this daemon serves`, {
      hint: `Start grompt serve with --root <dir> for each directory it may work in (now: ${roots.join(", ")}).`,
      details: { field: "cwd" },
    });
  }
  return real;
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}
