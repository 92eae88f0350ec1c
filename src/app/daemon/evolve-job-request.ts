import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { GromptError } from "../../core/domain/errors";
import { type CreatedEvolveJob, type CreateEvolveJobDeps, type EvolveJobRequest, createEvolveJob } from "../evolve/create-evolve-job";

/** A `POST /v1/jobs/evolve` body (DESIGN §5), already checked against its JSON schema: no cassettes over HTTP. */
export type EvolveJobBody = Pick<
  EvolveJobRequest,
  "instruction" | "cwd" | "include" | "exclude" | "provider" | "model" | "prompt" | "checks" | "maxRounds" | "sessionId" | "validate"
>;

/**
 * An evolve job from the daemon: the working directory must be a real directory inside a served
 * root — symbolic links resolved, so none leads outside — then the same creation as
 * `grompt evolve` (project, prompt, checks and provider checked before anything is written), with
 * the real path and the token's scope.
 */
export async function createServedEvolveJob(
  body: EvolveJobBody,
  context: { scope: string; roots: readonly string[]; idempotency?: EvolveJobRequest["idempotency"] },
  deps: CreateEvolveJobDeps,
): Promise<CreatedEvolveJob> {
  const cwd = await servedDirectory(body.cwd, context.roots);
  return createEvolveJob({ ...body, cwd, scope: context.scope, idempotency: context.idempotency }, deps);
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
