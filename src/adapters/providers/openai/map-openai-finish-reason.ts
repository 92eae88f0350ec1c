/** Chat Completions `finish_reason` → grompt's stop | length | content_filter | other. */
export function mapOpenAIFinishReason(reason: string | null | undefined): string | undefined {
  if (reason === null || reason === undefined) return undefined;
  if (reason === "stop") return "stop";
  if (reason === "length") return "length";
  if (reason === "content_filter") return "content_filter";
  return "other";
}
