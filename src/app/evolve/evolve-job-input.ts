import * as z from "zod";
import { GromptError } from "../../core/domain/errors";
import type { Job } from "../../core/domain/job";

/**
 * What an evolve job stores as its `input`: the request of `grompt evolve` or `POST /v1/jobs/evolve`
 * ({ instruction, cwd, include?, exclude?, provider?, model?, prompt?, checks?, maxRounds?,
 * sessionId? }, DESIGN.md §5) plus how to reach the provider again when a runner picks it up.
 */
export const evolveJobInputSchema = z.strictObject({
  instruction: z.string().trim().min(1),
  /** Absolute path of the project directory. */
  cwd: z.string().min(1),
  include: z.array(z.string().min(1)).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  /** The registered provider name that resolves the job's provider:model (`openai`, `replay`, a plugin). */
  provider: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  /** Registry prompt of the first round (default `evolve.prompt`, `refactor-small`). */
  prompt: z.string().min(1).optional(),
  /** Names of the checks to run (default: every detected or configured check). */
  checks: z.array(z.string().min(1)).optional(),
  /** Repair rounds after the first answer (default `evolve.maxRounds`, 2). */
  maxRounds: z.number().int().min(0).max(10).optional(),
  sessionId: z.string().min(1).optional(),
  /** false: apply the patch in the worktree without running any check (`--no-validate`). */
  validate: z.boolean().optional(),
  /** Absolute path of the cassette a replayed job answers from. */
  cassette: z.string().min(1).optional(),
  /** Absolute path of the cassette a recorded job saves into. */
  record: z.string().min(1).optional(),
  noCache: z.boolean().optional(),
  /** Who pays in the usage ledger: "cli", or the daemon's token id. */
  scope: z.string().min(1).optional(),
});

export type EvolveJobInput = z.infer<typeof evolveJobInputSchema>;

/** The job's input, or `invalid_input` naming the first bad field. */
export function readEvolveJobInput(job: Pick<Job, "id" | "input">): EvolveJobInput {
  const parsed = evolveJobInputSchema.safeParse(job.input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? "input" : issue.path.join(".");
  throw new GromptError("invalid_input", `evolve job ${job.id} has an invalid input: ${field}: ${issue?.message ?? "not valid"}`, {
    hint: "Create the job again with `grompt evolve` or POST /v1/jobs/evolve.",
    details: { field },
  });
}
