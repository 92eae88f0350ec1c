import { createReadStream } from "node:fs";
import type { ProviderId } from "../../core/ports/provider-port";
import type { SnapshotPort, SnapshotResult } from "../../core/ports/snapshot-port";
import { type PromptContext, buildPromptContext } from "./build-prompt-context";

/** `grompt snapshot --max-tokens`: the prompt context planned from the .latx just written. */
export function previewPromptContext(
  input: { result: SnapshotResult; instruction: string; provider: ProviderId; maxTokens: number },
  deps: { snapshots: SnapshotPort },
): Promise<PromptContext> {
  const { result } = input;
  return buildPromptContext(
    {
      instruction: input.instruction,
      provider: input.provider,
      maxTokens: input.maxTokens,
      snapshot: result,
      openLatx: () => createReadStream(result.outputs.latx),
    },
    deps,
  );
}
