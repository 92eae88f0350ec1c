import { realpathSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { GromptConfig } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import type { CheckSpec, UnavailableCheck } from "./checks/check-spec";
import { detectChecks } from "./checks/detect-checks";
import { selectChecks } from "./checks/select-checks";
import type { EvolveJobInput } from "./evolve-job-input";
import { runGit } from "./worktree/run-git";

/** What one evolve job does, from its input over the project's configuration. */
export interface EvolveSettings {
  promptId: string;
  maxRounds: number;
  validate: boolean;
  snapshot: { include: string[]; exclude: string[]; secrets: GromptConfig["snapshot"]["secrets"]; maxFileBytes: number };
}

export interface EvolveChecks {
  /** The checks that will run, in order (none when validation is off). */
  selected: CheckSpec[];
  /** Checks the project asks for that cannot run here. */
  unavailable: UnavailableCheck[];
}

/**
 * The project's configuration as `grompt` would read it in that directory (user file < the
 * repository's `.grompt/config.yaml` < environment): a daemon serving many projects reads each
 * job's own `checks:` and `evolve:` settings.
 */
export const loadProjectConfig = (cwd: string): GromptConfig => loadConfig({ cwd, env: process.env }).config;

export function evolveSettings(input: EvolveJobInput, project: GromptConfig): EvolveSettings {
  return {
    promptId: input.prompt ?? project.evolve.prompt,
    maxRounds: input.maxRounds ?? project.evolve.maxRounds,
    validate: input.validate ?? project.evolve.validate,
    snapshot: {
      include: input.include ?? project.snapshot.include,
      exclude: input.exclude ?? project.snapshot.exclude,
      secrets: project.snapshot.secrets,
      maxFileBytes: project.snapshot.maxFileBytes,
    },
  };
}

/** The job's directory: absolute, existing, a directory — or `invalid_input`. */
export function requireProjectDir(cwd: string): string {
  if (!isAbsolute(cwd)) throw new GromptError("invalid_input", `cwd must be an absolute path, not ${JSON.stringify(cwd)}`, { details: { field: "cwd" } });
  const stat = statSync(cwd, { throwIfNoEntry: false });
  if (stat?.isDirectory() !== true) throw new GromptError("invalid_input", `${cwd} is not a directory`, { hint: "Run grompt evolve inside the project to change.", details: { field: "cwd" } });
  return cwd;
}

/**
 * The checks of the project at `cwd` (configured, or detected up to its git top level), narrowed
 * to `names` when given; none when validation is off.
 */
export async function evolveChecks(cwd: string, project: GromptConfig, options: { names?: readonly string[]; validate: boolean }): Promise<EvolveChecks> {
  if (!options.validate) return { selected: [], unavailable: [] };
  const top = await runGit({ cwd }, ["rev-parse", "--show-toplevel"], { allowFailure: true });
  // git answers with real paths; compare like with like.
  const projectDir = realpathSync(cwd);
  const detected = detectChecks({ projectDir, boundary: top?.trim() || projectDir, configured: project.checks });
  return { selected: selectChecks(detected.checks, detected.unavailable, options.names), unavailable: detected.unavailable };
}
