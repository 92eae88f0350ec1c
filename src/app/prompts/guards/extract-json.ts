export type JsonExtraction = { ok: true; value: unknown } | { ok: false; error: string };

const fenced = /^\s*(`{3,}|~{3,})\s*(?:json|jsonc|javascript|js)?\s*\n([\s\S]*?)\n\s*\1\s*$/i;

/**
 * The JSON in an answer: the whole answer, or the content of the one fence it consists of (models
 * wrap JSON in ```json even when told not to, and vendor JSON modes never do).
 */
export function extractJson(answer: string): JsonExtraction {
  const trimmed = answer.trim();
  if (trimmed === "") return { ok: false, error: "the answer is empty" };
  const inner = fenced.exec(trimmed)?.[2] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(inner) as unknown };
  } catch (error) {
    return { ok: false, error: `the answer is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
