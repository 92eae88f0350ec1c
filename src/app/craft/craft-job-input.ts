import * as z from "zod";
import { GromptError } from "../../core/domain/errors";
import type { Job } from "../../core/domain/job";
import { craftPurposes } from "./craft-inputs";

/**
 * What a craft job stores as its `input`: the validated request plus how to reach the provider
 * again when a runner (this process, another CLI, the daemon) picks the job up.
 */
export const craftJobInputSchema = z.strictObject({
  ideas: z.array(z.string().min(1)).min(1),
  purpose: z.enum(craftPurposes),
  lang: z.string().min(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  /** The registered provider name that resolves the job's provider:model (`openai`, `replay`, a plugin). */
  providerName: z.string().min(1),
  /** Absolute path of the cassette a replayed job answers from. */
  cassette: z.string().min(1).optional(),
  /** Absolute path of the cassette a recorded job saves into. */
  record: z.string().min(1).optional(),
  noCache: z.boolean().optional(),
  /** Who pays in the usage ledger: "cli", or the daemon's token id. */
  scope: z.string().min(1).optional(),
});

export type CraftJobInput = z.infer<typeof craftJobInputSchema>;

/** The job's input, or `invalid_input` naming the first bad field (a job written by another version, or by hand). */
export function readCraftJobInput(job: Pick<Job, "id" | "input">): CraftJobInput {
  const parsed = craftJobInputSchema.safeParse(job.input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? "input" : issue.path.join(".");
  throw new GromptError("invalid_input", `craft job ${job.id} has an invalid input: ${field}: ${issue?.message ?? "not valid"}`, {
    hint: "Create the job again with `grompt craft` or POST /v1/jobs/craft.",
    details: { field },
  });
}
