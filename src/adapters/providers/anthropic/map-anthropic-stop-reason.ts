/** Messages API `stop_reason` → grompt's stop | length | content_filter | other. */
export function mapAnthropicStopReason(reason: string | null | undefined): string | undefined {
  if (reason === null || reason === undefined) return undefined;
  if (reason === "end_turn" || reason === "stop_sequence") return "stop";
  if (reason === "max_tokens" || reason === "model_context_window_exceeded") return "length";
  if (reason === "refusal") return "content_filter";
  return "other";
}
