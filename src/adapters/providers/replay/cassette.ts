import { GromptError } from "../../../core/domain/errors";
import type { GenUsage, ProviderId } from "../../../core/ports/provider-port";
import type { NormalizedRequest } from "../shared/request-key";

/** One recorded exchange: a line of a cassette (JSONL, one line per request hash). */
export interface CassetteEntry {
  version: 1;
  /** sha256 of the canonical request, as `requestKey` computes it. */
  hash: string;
  request: NormalizedRequest;
  response: {
    text: string;
    provider: ProviderId;
    model: string;
    usage?: GenUsage;
    finishReason?: string;
    /** How the answer streamed, so a replay streams it the same way. */
    chunks?: string[];
  };
  recordedAt: string;
}

const providerIds = new Set(["openai", "anthropic", "gemini"]);

/** Reads a cassette; a malformed line is an error naming the file and line, never a silent skip. */
export function parseCassette(text: string, file: string): CassetteEntry[] {
  const entries: CassetteEntry[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let entry: CassetteEntry;
    try {
      entry = JSON.parse(line) as CassetteEntry;
    } catch (error) {
      throw invalid(file, index + 1, `not JSON (${(error as Error).message})`);
    }
    if (entry?.version !== 1) throw invalid(file, index + 1, "unknown cassette version (expected 1)");
    if (typeof entry.hash !== "string" || typeof entry.response?.text !== "string" || typeof entry.request?.user !== "string") {
      throw invalid(file, index + 1, "missing hash, request or response");
    }
    if (!providerIds.has(entry.response.provider)) throw invalid(file, index + 1, `unknown provider "${String(entry.response.provider)}"`);
    entries.push(entry);
  }
  return entries;
}

/** One line per hash, in the order first recorded; a re-recording replaces its line. */
export function serializeCassette(entries: readonly CassetteEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
}

export function upsertEntry(entries: CassetteEntry[], entry: CassetteEntry): CassetteEntry[] {
  const index = entries.findIndex((e) => e.hash === entry.hash);
  if (index < 0) return [...entries, entry];
  const next = [...entries];
  next[index] = entry;
  return next;
}

function invalid(file: string, line: number, what: string): GromptError {
  return new GromptError("invalid_input", `${file}:${line}: ${what}`, {
    hint: "A cassette is JSONL written by --record; re-record it, or fix the named line.",
    details: { file, line },
  });
}
