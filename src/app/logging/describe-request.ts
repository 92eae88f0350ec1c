import { createHash } from "node:crypto";
import type { GenInput, ModelProvider } from "../../core/ports/provider-port";

/** What is logged about a provider request: sizes and a hash, the text itself only when asked for. */
export function describeRequest(inner: Pick<ModelProvider, "id" | "model">, input: GenInput, logPrompts: boolean): Record<string, unknown> {
  const text = `${input.system ?? ""}\n${input.user}`;
  const fields: Record<string, unknown> = {
    provider: inner.id,
    model: inner.model,
    promptChars: text.length,
    promptSha256: createHash("sha256").update(text).digest("hex").slice(0, 16),
  };
  if (logPrompts) Object.assign(fields, { system: input.system, user: input.user });
  return fields;
}
