import { GromptError } from "../../../core/domain/errors";
import { describeCauses } from "../shared/cause-chain";
import { abortedError, isAbortError, vendorError } from "../shared/provider-error";
import { retryAfterMs } from "../shared/retry-after";

/** The SDK's error classes, passed in because the SDK itself is loaded lazily. */
export interface AnthropicErrorClasses {
  AnthropicError: abstract new (...args: never[]) => Error;
  APIError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
}

interface AnthropicApiErrorShape extends Error {
  status?: number;
  headers?: Headers;
  apiMessage?: string | null;
  type?: string | null;
  errorCode?: string | null;
  requestID?: string | null;
  error?: { error?: { type?: unknown; message?: unknown } } | null;
}

const contextPattern = /prompt is too long|context window|context length|exceeds? the (?:maximum|context)/i;

/** Any error out of the Anthropic SDK as a GromptError (anything else is returned untouched: it is a bug). */
export function mapAnthropicError(error: unknown, sdk: AnthropicErrorClasses, context: { signal?: AbortSignal; apiKey?: string }): unknown {
  if (error instanceof GromptError) return error;
  if (error instanceof sdk.APIUserAbortError || isAbortError(error)) return abortedError("anthropic", context.signal, error);
  if (error instanceof sdk.APIConnectionTimeoutError) return abortedError("anthropic", undefined, error);
  if (error instanceof sdk.APIConnectionError) {
    return vendorError({ vendor: "anthropic", message: describeCauses(error as Error), cause: error }, [context.apiKey]);
  }
  if (error instanceof sdk.APIError) {
    const apiError = error as AnthropicApiErrorShape;
    const inner = apiError.error?.error;
    const message =
      apiError.apiMessage ?? (typeof inner?.message === "string" ? inner.message : undefined) ?? apiError.message;
    const type = apiError.type ?? (typeof inner?.type === "string" ? inner.type : undefined);
    return vendorError(
      {
        vendor: "anthropic",
        // A mid-stream `event: error` carries no HTTP status; its type says what happened.
        status: apiError.status ?? statusForType(type),
        message,
        vendorType: type ?? undefined,
        vendorCode: apiError.errorCode ?? undefined,
        retryAfterMs: retryAfterMs(apiError.headers),
        requestId: apiError.requestID ?? undefined,
        contextLength: contextPattern.test(message),
        quotaExhausted: type === "billing_error",
        cause: error,
      },
      [context.apiKey],
    );
  }
  if (error instanceof sdk.AnthropicError) {
    return vendorError({ vendor: "anthropic", status: 502, message: (error as Error).message, cause: error }, [context.apiKey]);
  }
  return error;
}

/** Anthropic's documented error types and the statuses they come with. */
function statusForType(type: string | null | undefined): number | undefined {
  const statuses: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    billing_error: 402,
    permission_error: 403,
    not_found_error: 404,
    request_too_large: 413,
    rate_limit_error: 429,
    api_error: 500,
    timeout_error: 504,
    overloaded_error: 529,
  };
  return type === null || type === undefined ? undefined : statuses[type];
}
