import { GromptError } from "../../../core/domain/errors";
import { describeCauses } from "../shared/cause-chain";
import { abortedError, isAbortError, vendorError } from "../shared/provider-error";
import { retryAfterMs } from "../shared/retry-after";

/** The SDK's error classes, passed in because the SDK itself is loaded lazily. */
export interface OpenAIErrorClasses {
  OpenAIError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

interface OpenAIApiErrorShape extends Error {
  status?: number;
  headers?: Headers;
  error?: { message?: unknown; type?: unknown; code?: unknown } | null;
  requestID?: string | null;
}

export interface ErrorContext {
  signal?: AbortSignal;
  apiKey?: string;
}

/** Any error out of the OpenAI SDK as a GromptError (anything else is returned untouched: it is a bug). */
export function mapOpenAIError(error: unknown, sdk: OpenAIErrorClasses, context: ErrorContext): unknown {
  if (error instanceof GromptError) return error;
  if (error instanceof sdk.APIUserAbortError || isAbortError(error)) return abortedError("openai", context.signal, error);
  if (error instanceof sdk.APIConnectionTimeoutError) return abortedError("openai", undefined, error);
  if (error instanceof sdk.APIConnectionError) {
    return vendorError({ vendor: "openai", message: describeCauses(error as Error), cause: error }, [context.apiKey]);
  }
  if (error instanceof sdk.APIError) {
    const apiError = error as OpenAIApiErrorShape;
    const body = apiError.error ?? undefined;
    const message = typeof body?.message === "string" && body.message !== "" ? body.message : apiError.message;
    const code = typeof body?.code === "string" ? body.code : undefined;
    return vendorError(
      {
        vendor: "openai",
        status: apiError.status,
        message,
        vendorType: typeof body?.type === "string" ? body.type : undefined,
        vendorCode: code,
        retryAfterMs: retryAfterMs(apiError.headers),
        requestId: apiError.requestID ?? undefined,
        contextLength: code === "context_length_exceeded" || /maximum context length|context window/i.test(message),
        quotaExhausted: code === "insufficient_quota",
        cause: error,
      },
      [context.apiKey],
    );
  }
  if (error instanceof sdk.OpenAIError) {
    // The SDK could not make sense of the answer (a compatible server speaking a dialect).
    return vendorError({ vendor: "openai", status: 502, message: (error as Error).message, cause: error }, [context.apiKey]);
  }
  return error;
}
