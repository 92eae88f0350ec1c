import type { LoggerPort } from "../../../core/ports/logger-port";

type LogFn = (message: string, ...rest: unknown[]) => void;

/** The logger shape the OpenAI and Anthropic SDKs accept. */
export interface SdkLogger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

/**
 * Routes SDK diagnostics into grompt's logs. By default the SDKs write to the console, and a stray
 * line on stdout would corrupt an answer streamed there.
 */
export function sdkLogger(vendor: string, logger: LoggerPort | undefined): SdkLogger {
  const forward =
    (level: "error" | "warn" | "info" | "debug"): LogFn =>
    (message, ...rest) =>
      logger?.[level]({ sdk: vendor, ...(rest.length > 0 ? { extra: rest.map(String) } : {}) }, message);
  return { error: forward("error"), warn: forward("warn"), info: forward("debug"), debug: forward("debug") };
}
