/** Structured logging, so use cases never import pino. Fields are redacted by the adapter. */
export interface LoggerPort {
  /** Diagnostic detail, off by default. */
  debug(fields: Record<string, unknown>, message: string): void;
  /** Normal operation. */
  info(fields: Record<string, unknown>, message: string): void;
  /** Something a user should know about. */
  warn(fields: Record<string, unknown>, message: string): void;
  /** A failure. */
  error(fields: Record<string, unknown>, message: string): void;
  /** False when lines of this level are dropped: lets callers skip building what they would log. */
  isLevelEnabled?(level: "debug" | "info" | "warn" | "error"): boolean;
  /** A logger whose every line carries these fields (job_id, session_id, provider_call_id). */
  child(fields: Record<string, unknown>): LoggerPort;
  /**
   * Runs `work` with these fields on every line any logger of this tree writes meanwhile, async
   * continuations included — so lines from code that knows nothing of them (an SDK) carry them too.
   */
  withFields?<T>(fields: Record<string, unknown>, work: () => T): T;
}
