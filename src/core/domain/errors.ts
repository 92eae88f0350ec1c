/**
 * One error type for the whole product. Every code is registered once, here, with the exit code
 * the CLI returns and the HTTP status the API answers; docs/errors.md documents each (a test keeps
 * the two in sync).
 *
 * Exit codes: 0 ok, 1 job failed, 2 usage/config error, 3 provider error, 4 patch not applicable,
 * 130 interrupted.
 */
export const errorCatalog = {
  // usage and configuration
  usage: { exit: 2, http: 400, title: "The command line was not understood" },
  invalid_input: { exit: 2, http: 400, title: "A value given to grompt is not valid" },
  config_invalid: { exit: 2, http: 500, title: "A configuration file or variable is not valid" },
  not_found: { exit: 2, http: 404, title: "The job, artifact or resource does not exist" },
  payload_too_large: { exit: 2, http: 413, title: "The input is larger than grompt accepts" },
  // local infrastructure
  store_unavailable: { exit: 2, http: 503, title: "The database cannot be opened or is corrupt" },
  queue_unavailable: { exit: 2, http: 503, title: "The job queue directory cannot be used" },
  queue_full: { exit: 2, http: 429, title: "Too many jobs are waiting to start" },
  io_error: { exit: 2, http: 500, title: "A file could not be read or written" },
  // jobs
  invalid_transition: { exit: 1, http: 409, title: "The job cannot make that state change" },
  job_failed: { exit: 1, http: 422, title: "The job ended in error" },
  canceled: { exit: 130, http: 409, title: "The job was canceled" },
  interrupted: { exit: 130, http: 503, title: "grompt was interrupted (SIGINT/SIGTERM)" },
  lease_lost: { exit: 1, http: 409, title: "Another worker took over the job" },
  // daemon
  unauthorized: { exit: 2, http: 401, title: "The bearer token is missing or wrong" },
  forbidden: { exit: 2, http: 403, title: "The request is not allowed" },
  idempotency_mismatch: { exit: 2, http: 422, title: "The Idempotency-Key was used with another body" },
  idempotency_in_flight: { exit: 2, http: 409, title: "A request with this Idempotency-Key is still being handled" },
  rate_limit_exceeded: { exit: 2, http: 429, title: "Too many jobs or tokens per minute" },
  quota_exceeded: { exit: 2, http: 429, title: "The daily cost quota is spent" },
  // providers
  provider_unknown: { exit: 2, http: 400, title: "No provider is registered under that name" },
  provider_not_configured: { exit: 2, http: 400, title: "The provider has no API key or base URL" },
  auth: { exit: 3, http: 502, title: "The provider rejected the API key" },
  rate_limited: { exit: 3, http: 503, title: "The provider is rate limiting" },
  timeout: { exit: 3, http: 504, title: "The provider did not answer in time" },
  bad_request: { exit: 3, http: 502, title: "The provider rejected the request" },
  context_length: { exit: 3, http: 502, title: "The request is longer than the model's context" },
  unavailable: { exit: 3, http: 503, title: "The provider is unreachable or failing" },
  replay_miss: { exit: 3, http: 502, title: "The cassette has no recording of this request" },
  // prompts
  prompt_not_found: { exit: 2, http: 404, title: "No prompt has that id" },
  prompt_invalid: { exit: 2, http: 422, title: "A prompt file is not valid" },
  guard_violated: { exit: 1, http: 422, title: "A prompt guard rejected the input or the answer" },
  // snapshot
  secret_detected: { exit: 1, http: 422, title: "A secret was found in the files to send" },
  snapshot_invalid: { exit: 2, http: 422, title: "The snapshot input or archive is not valid" },
  // patch
  patch_not_applicable: { exit: 4, http: 422, title: "The patch cannot be applied safely" },
  no_diff_found: { exit: 4, http: 422, title: "The answer holds no diff" },
  checks_failed: { exit: 1, http: 422, title: "The patch applies but the project's checks fail" },
  // anything else is a bug
  internal: { exit: 1, http: 500, title: "Unexpected internal error" },
} as const satisfies Record<string, { exit: number; http: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCatalog, code);

/** Codes whose failure may go away when the same call is made again. */
const retryableByDefault: ReadonlySet<ErrorCode> = new Set(["rate_limited", "timeout", "unavailable"]);

export interface GromptErrorOptions {
  hint?: string;
  retryable?: boolean;
  cause?: unknown;
  /** Machine-readable facts (file, line, limit, status); never secrets. */
  details?: Record<string, unknown>;
}

export class GromptError extends Error {
  override readonly name = "GromptError";
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GromptErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
    this.details = options.details;
  }

  get exitCode(): number {
    return errorCatalog[this.code].exit;
  }

  get httpStatus(): number {
    return errorCatalog[this.code].http;
  }

  /** The JSON shape stored on failed jobs and sent to clients. */
  toFailure(): { code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export const isGromptError = (value: unknown): value is GromptError => value instanceof GromptError;

/** Wraps anything thrown into a GromptError, keeping GromptErrors as they are. */
export function toGromptError(value: unknown): GromptError {
  if (isGromptError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new GromptError("internal", message, { cause: value });
}

export const exitCodeFor = (code: string): number => (isErrorCode(code) ? errorCatalog[code].exit : 1);
export const httpStatusFor = (code: string): number => (isErrorCode(code) ? errorCatalog[code].http : 500);
