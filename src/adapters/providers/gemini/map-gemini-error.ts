import { GromptError } from "../../../core/domain/errors";
import { describeCauses } from "../shared/cause-chain";
import { abortedError, isAbortError, vendorError } from "../shared/provider-error";
import { type HeaderReader, retryAfterMs, retryDelayFromDetails } from "../shared/retry-after";

/** The SDK's `ApiError`, passed in because the SDK itself is loaded lazily. */
export interface GeminiErrorClasses {
  ApiError: abstract new (...args: never[]) => Error;
}

interface GoogleErrorBody {
  error?: { code?: unknown; message?: unknown; status?: unknown; details?: unknown };
}

export interface GeminiErrorContext {
  signal?: AbortSignal;
  apiKey?: string;
  /** Headers of the last failed HTTP response (the SDK's ApiError does not keep them). */
  headers?: HeaderReader;
}

/** The SDK puts the JSON error body into the message, sometimes after a prefix ("got status: ..."). */
export function parseGoogleErrorBody(message: string): GoogleErrorBody["error"] | undefined {
  const start = message.indexOf("{");
  if (start < 0) return undefined;
  try {
    return (JSON.parse(message.slice(start)) as GoogleErrorBody).error;
  } catch {
    return undefined;
  }
}

const contextPattern = /input token count.*exceeds|exceeds the maximum number of tokens|context (?:window|length)/i;

/** Any error out of @google/genai as a GromptError (anything that is not an Error is returned untouched). */
export function mapGeminiError(error: unknown, sdk: GeminiErrorClasses, context: GeminiErrorContext): unknown {
  if (error instanceof GromptError) return error;
  if (isAbortError(error) || context.signal?.aborted === true) return abortedError("gemini", context.signal, error);
  if (error instanceof sdk.ApiError) {
    const status = (error as Error & { status?: number }).status;
    const body = parseGoogleErrorBody(error.message);
    const message = typeof body?.message === "string" && body.message !== "" ? body.message : error.message;
    const vendorStatus = typeof body?.status === "string" ? body.status : undefined;
    // Google answers a wrong key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID): it is an auth failure.
    const badKey = /API key not valid|API_KEY_INVALID/i.test(`${message} ${JSON.stringify(body?.details ?? "")}`);
    return vendorError(
      {
        vendor: "gemini",
        status: badKey ? 401 : status,
        message,
        vendorType: vendorStatus,
        retryAfterMs: retryAfterMs(context.headers) ?? retryDelayFromDetails(body?.details),
        contextLength: contextPattern.test(message),
        quotaExhausted: /quota/i.test(message) && /billing|plan/i.test(message),
        cause: error,
      },
      [context.apiKey],
    );
  }
  if (error instanceof Error) {
    // fetch's "fetch failed" (refused, reset) and the SDK's stream parsing failures: no usable answer.
    return vendorError({ vendor: "gemini", message: describeCauses(error), cause: error }, [context.apiKey]);
  }
  return error;
}
