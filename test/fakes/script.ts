/**
 * What a fake vendor server should answer, described once for every vendor; each wire module
 * (openai-wire, anthropic-wire, gemini-wire) renders it in its vendor's real protocol.
 */
export type FinishReason = "stop" | "length" | "content_filter" | "other";

export interface ScriptedUsage {
  prompt: number;
  completion: number;
  /** Part of `prompt` served from the vendor's prompt cache. */
  cachedPrompt?: number;
}

export type Script =
  /** A normal answer: JSON for plain requests, SSE for streaming ones (one event per chunk). */
  | {
      kind: "text";
      text?: string;
      /** How a stream splits the text; default: word by word. */
      chunks?: string[];
      usage?: ScriptedUsage;
      finishReason?: FinishReason;
      /** The model the answer claims; default: the requested one. */
      model?: string;
      /** Wait before sending headers (slow server → timeouts). */
      delayMs?: number;
      /** Wait between stream events. */
      chunkDelayMs?: number;
    }
  /** The vendor's error envelope with this HTTP status, optionally with Retry-After / retry-after-ms. */
  | {
      kind: "error";
      status: number;
      message?: string;
      /** Vendor error type (`rate_limit_error`, `RESOURCE_EXHAUSTED`); default derived from the status. */
      type?: string;
      code?: string;
      /** Value of the Retry-After header (seconds or an HTTP date). */
      retryAfter?: string;
      /** Value of the retry-after-ms header. */
      retryAfterMs?: number;
      delayMs?: number;
    }
  /** A stream that sends these chunks, then the vendor's in-stream error event. */
  | { kind: "stream-error"; chunks: string[]; status?: number; message?: string; chunkDelayMs?: number }
  /** Accepts the request and never answers (until the client gives up). */
  | { kind: "hang" }
  /** A stream that sends these chunks, then goes silent without closing. */
  | { kind: "stall"; chunks: string[] }
  /** Cuts the connection: before any byte, or after streaming these chunks. */
  | { kind: "drop"; chunks?: string[] };

/** A request as the fake received it, for assertions on path, headers, model and options. */
export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
  /** The model the request named (body or path). */
  model?: string;
  stream: boolean;
  receivedAt: number;
  /** Set when the client closed the connection before the answer was complete (abort, timeout). */
  clientAborted?: boolean;
}

/** Splits an answer word by word, keeping the spaces, as vendors stream it. */
export function splitIntoChunks(text: string): string[] {
  const pieces = text.match(/\s*\S+|\s+$/g);
  return pieces === null || pieces.length === 0 ? [text] : pieces;
}

/** A deterministic token estimate for answers the script did not give usage for. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.trim().split(/\s+/).filter(Boolean).length * 1.3));
}
