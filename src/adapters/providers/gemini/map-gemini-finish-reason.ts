const filtered = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"]);

/** Gemini `finishReason` (or a prompt blocked before any candidate) → stop | length | content_filter | other. */
export function mapGeminiFinishReason(reason: string | null | undefined, promptBlocked = false): string | undefined {
  if (promptBlocked) return "content_filter";
  if (reason === null || reason === undefined) return undefined;
  if (reason === "STOP") return "stop";
  if (reason === "MAX_TOKENS") return "length";
  if (filtered.has(reason)) return "content_filter";
  return "other";
}
