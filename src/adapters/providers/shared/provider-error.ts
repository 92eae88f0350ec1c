import { type ErrorCode, GromptError } from "../../../core/domain/errors";
import type { ProviderId } from "../../../core/ports/provider-port";
import { scrubSecrets } from "./scrub-secrets";

/** What a vendor adapter learned about one failed HTTP exchange, before it becomes a GromptError. */
export interface VendorFailure {
  vendor: ProviderId;
  /** Undefined when no HTTP response arrived (connection refused, reset, DNS). */
  status?: number;
  /** The vendor's own words. */
  message: string;
  /** `error.type` (OpenAI, Anthropic) or `error.status` (Google). */
  vendorType?: string;
  vendorCode?: string;
  retryAfterMs?: number;
  requestId?: string;
  /** The vendor said the prompt does not fit the model's context. */
  contextLength?: boolean;
  /** The vendor said the account is out of quota or credit: retrying cannot help. */
  quotaExhausted?: boolean;
  cause?: unknown;
}

const hints: Partial<Record<ErrorCode, (vendor: string) => string>> = {
  auth: (vendor) => `Check the API key for ${vendor}; \`grompt providers test ${vendor}\` tries it.`,
  rate_limited: () => "The vendor is rate limiting; grompt already retried with backoff. Retry later or lower concurrency.",
  timeout: () => "Raise request.timeoutMs (20000–600000) or send a smaller prompt.",
  bad_request: () => "Read the vendor's message: usually a model name or an option the model does not accept.",
  context_length: () => "Send less context (narrow --include) or pick a model with a larger context window.",
  unavailable: (vendor) => `${vendor} is unreachable or failing; retry later, or check the base URL.`,
};

/** The one status → code table every vendor shares (DESIGN §8: retry 408/409/429/5xx and network errors). */
export function codeForStatus(status: number | undefined): { code: ErrorCode; retryable: boolean } {
  if (status === undefined) return { code: "unavailable", retryable: true };
  if (status === 401 || status === 403) return { code: "auth", retryable: false };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status === 409) return { code: "unavailable", retryable: true };
  if (status === 429) return { code: "rate_limited", retryable: true };
  if (status >= 500) return { code: "unavailable", retryable: true };
  return { code: "bad_request", retryable: false };
}

/** A vendor failure as the project's error: stable code, retryable flag, vendor message kept, key never shown. */
export function vendorError(failure: VendorFailure, secrets: readonly (string | undefined)[] = []): GromptError {
  let { code, retryable } = codeForStatus(failure.status);
  if (failure.contextLength === true) [code, retryable] = ["context_length", false];
  if (failure.quotaExhausted === true) retryable = false;
  const prefix = failure.status === undefined ? failure.vendor : `${failure.vendor} ${failure.status}`;
  const message = `${prefix}: ${scrubSecrets(failure.message, secrets)}`;
  const details: Record<string, unknown> = { provider: failure.vendor };
  if (failure.status !== undefined) details.status = failure.status;
  if (failure.vendorType !== undefined) details.vendorType = failure.vendorType;
  if (failure.vendorCode !== undefined) details.vendorCode = failure.vendorCode;
  if (failure.retryAfterMs !== undefined) details.retryAfterMs = failure.retryAfterMs;
  if (failure.requestId !== undefined) details.requestId = failure.requestId;
  const hint = failure.quotaExhausted === true ? "The account is out of quota or credit: check billing with the vendor." : hints[code]?.(failure.vendor);
  return new GromptError(code, message, { retryable, hint, details, cause: failure.cause });
}

/** The caller's signal fired: the policy layer refines this into `canceled` or `timeout`. */
export function abortedError(vendor: ProviderId, signal: AbortSignal | undefined, cause?: unknown): GromptError {
  if (signal?.aborted === true) {
    return new GromptError("canceled", `${vendor}: the request was canceled`, { retryable: false, details: { provider: vendor }, cause });
  }
  return new GromptError("timeout", `${vendor}: no answer before the timeout`, {
    retryable: true,
    hint: hints.timeout?.(vendor),
    details: { provider: vendor },
    cause,
  });
}

/** True for the errors fetch and the SDKs raise when a request is aborted. */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "AbortError" || error.name === "TimeoutError" || error.constructor.name === "APIUserAbortError";
}
