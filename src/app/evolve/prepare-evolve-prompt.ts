import { isGromptError } from "../../core/domain/errors";
import type { SnapshotPort, SnapshotResult } from "../../core/ports/snapshot-port";
import { type PreparedPromptCall, preparePromptCall } from "../prompts/prompt-call";
import type { PromptDefinition, VarValue } from "../prompts/prompt-schema";
import { type PromptContext, buildPromptContext } from "../snapshot/build-prompt-context";

export interface EvolvePromptInput {
  instruction: string;
  prompt: PromptDefinition;
  /** The checks that will validate the patch, as people read them (`tsc --noEmit`). */
  checks: readonly string[];
  snapshot: SnapshotResult;
  /** Opens the snapshot's .latx afresh. */
  openLatx: () => AsyncIterable<Uint8Array>;
  jsonMode?: boolean;
}

export interface EvolvePrompt {
  prepared: PreparedPromptCall;
  context: PromptContext;
  /** The variables the prompt was rendered with (the repair rounds reuse the context and checks). */
  vars: Record<string, VarValue | undefined>;
}

/** Used when a prompt sets no `max_tokens` guard. */
const defaultBudget = 100_000;
/** Tokens left for the answer's own framing and the repair round's extra text. */
const reserve = 2_000;

/**
 * Renders the first round's prompt with as much of the snapshot as its input guards allow: the
 * context gets the guard's token budget less the rest of the prompt; if the rendered input still
 * breaks a guard (too many lines: short lines cost few tokens) the budget shrinks in proportion and
 * the context is planned again. Files are never cut; what is left out is listed by path.
 */
export async function prepareEvolvePrompt(input: EvolvePromptInput, deps: { snapshots: Pick<SnapshotPort, "entries"> }): Promise<EvolvePrompt> {
  const { prompt } = input;
  const baseVars: Record<string, VarValue | undefined> = { instruction: input.instruction, checks: input.checks.length > 0 ? [...input.checks] : undefined };
  const overhead = preparePromptCall(prompt, { ...baseVars, context: " " }).measure;
  let budget = Math.max(1_000, (prompt.guards.max_tokens ?? defaultBudget) - overhead.tokens - reserve);
  let broken: unknown;
  for (let attempt = 0; ; attempt += 1) {
    const context = await buildPromptContext(
      { instruction: input.instruction, provider: "openai", maxTokens: budget, snapshot: input.snapshot, openLatx: input.openLatx },
      deps,
    );
    // Shrunk until no file is left whole: a prompt without code would only buy a `CANNOT:`.
    if (broken !== undefined && context.plan.files.length === 0) throw broken;
    const vars: Record<string, VarValue | undefined> = { ...baseVars, context: context.text };
    if (context.plan.pathsOnly.length > 0) {
      vars.files = context.plan.files.map((file) => file.path);
      vars.omitted = context.plan.pathsOnly;
    }
    try {
      return { prepared: preparePromptCall(prompt, vars, { jsonMode: input.jsonMode }), context, vars };
    } catch (error) {
      const shrink = attempt < 6 ? shrinkFactor(error) : undefined;
      if (shrink === undefined || context.plan.files.length === 0) throw error;
      broken = error;
      // The budget may be far above what the tree needs: shrink what the context actually used.
      budget = Math.floor(Math.min(budget, context.tokens) * shrink);
    }
  }
}

/** How much smaller the context must get for the broken input guard to hold, or undefined for other errors. */
function shrinkFactor(error: unknown): number | undefined {
  if (!isGromptError(error) || error.code !== "guard_violated") return undefined;
  const violations = (error.details?.violations ?? []) as { side: string; limit?: number | string; actual?: number }[];
  const ratios = violations
    .filter((v) => v.side === "input" && typeof v.limit === "number" && typeof v.actual === "number" && v.actual > 0)
    .map((v) => (v.limit as number) / (v.actual as number));
  return ratios.length === 0 ? undefined : Math.min(...ratios) * 0.9;
}
