import { createHash } from "node:crypto";

/**
 * What may be logged about a prompt, an answer or a source file: its size and sha256, and the text
 * itself only when the user opted in (`--log-prompts`, `GROMPT_LOG_PROMPTS=1`).
 */
export function describeText(text: string, logPrompts: boolean): { bytes: number; sha256: string; text?: string } {
  const bytes = Buffer.byteLength(text, "utf8");
  const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
  return logPrompts ? { bytes, sha256, text } : { bytes, sha256 };
}
