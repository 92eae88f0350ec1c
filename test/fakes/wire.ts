import type { FinishReason, RecordedRequest, ScriptedUsage } from "./script";

/** What the generic fake server needs from one vendor's protocol. */
export interface VendorWire {
  vendor: "openai" | "anthropic" | "gemini";
  /** What to append to the server's origin to get the base URL the SDK (and grompt) expects. */
  basePathForClients: string;
  /** Recognises an endpoint: the model and whether the client asked for a stream; undefined → 404. */
  route(method: string, url: URL, body: unknown): { model?: string; stream: boolean } | undefined;
  /** A 4xx error when the credentials are missing or wrong; `expectedKey` null means any (or none) is fine. */
  authenticate(headers: Record<string, string>, url: URL, expectedKey: string | null): WireError | undefined;
  /** A 400 error when the body breaks the vendor's rules. */
  validate(request: RecordedRequest): WireError | undefined;
  /** The user's text, for the default echo answer. */
  userText(body: unknown): string;
  /** The vendor's error envelope. */
  errorBody(error: WireError): unknown;
  /** Headers every answer carries (request ids). */
  responseHeaders(): Record<string, string>;
  /** A complete JSON answer. */
  completion(answer: WireAnswer): unknown;
  /** SSE frames: before the text, one per chunk, after the text. Each frame ends with its blank line. */
  streamStart(answer: WireAnswer): string[];
  streamChunk(answer: WireAnswer, text: string, index: number): string;
  streamEnd(answer: WireAnswer, request: RecordedRequest): string[];
  /** The in-stream error event. */
  streamError(error: WireError): string;
}

export interface WireError {
  status: number;
  message: string;
  type?: string;
  code?: string;
}

export interface WireAnswer {
  id: string;
  model: string;
  text: string;
  usage: ScriptedUsage;
  finishReason: FinishReason;
  created: number;
}

export const sse = (data: unknown, event?: string): string =>
  `${event === undefined ? "" : `event: ${event}\n`}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
