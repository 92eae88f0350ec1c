import { AsyncLocalStorage } from "node:async_hooks";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { GromptError } from "../../core/domain/errors";
import type { LoggerPort } from "../../core/ports/logger-port";
import { createRedactor } from "./redact";

export interface LoggerOptions {
  /** Directory for the JSON log files; none means no file. */
  logDir?: string;
  level: string;
  /** Also print human-readable lines to stderr (the CLI's --verbose on a TTY). */
  pretty?: boolean;
  /** Exact secret values (configured keys, tokens) to scrub wherever they appear. */
  secrets?: readonly string[];
  /** Where JSON lines go when there is no log dir (tests). */
  stream?: NodeJS.WritableStream;
}

/** pino JSON logs, one file per day under `$GROMPT_HOME/logs`, with redaction on every line. */
export function createPinoLogger(options: LoggerOptions): LoggerPort & { flush(): void } {
  const redactor = createRedactor(options.secrets);
  const streams: pino.StreamEntry[] = [];
  if (options.logDir !== undefined) streams.push({ level: "trace", stream: openLogFile(options.logDir) });
  if (options.stream !== undefined) streams.push({ level: "trace", stream: options.stream });
  if (options.pretty === true) {
    streams.push({ level: "trace", stream: pretty({ destination: 2, sync: true, colorize: true, ignore: "pid,hostname" }) });
  }
  const base = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (record) => redactor.value(record) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === "string" ? redactor.text(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    streams.length === 0 ? pino.destination({ dest: "/dev/null", sync: true }) : pino.multistream(streams),
  );
  return Object.assign(wrap(base), { flush: () => base.flush() });
}

/** Today's log file; an unusable log directory is a clear error, not a crash. */
function openLogFile(logDir: string): pino.DestinationStream {
  const file = join(logDir, `grompt-${new Date().toISOString().slice(0, 10)}.log`);
  try {
    mkdirSync(logDir, { recursive: true });
    // Opened here (not lazily by pino) so the failure surfaces now, as one line.
    closeSync(openSync(file, "a"));
    return pino.destination({ dest: file, sync: true });
  } catch (error) {
    throw new GromptError("io_error", `Cannot write the log file ${file}: ${(error as Error).message}`, {
      hint: "Make $GROMPT_HOME (and its logs/ directory) writable, or set GROMPT_HOME to a writable directory.",
      cause: error,
    });
  }
}

/** Fields set by `withFields` for the current async context (a provider call's ids). */
const contextFields = new AsyncLocalStorage<Record<string, unknown>>();

/** `bound`: keys a child logger already carries, so a context field is never written twice on one line. */
function wrap(logger: Logger, bound: ReadonlySet<string> = new Set()): LoggerPort {
  const withContext = (fields: Record<string, unknown>): Record<string, unknown> => {
    const context = contextFields.getStore();
    if (context === undefined) return fields;
    const merged: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context)) if (!bound.has(key)) merged[key] = value;
    return Object.assign(merged, fields);
  };
  return {
    debug: (fields, message) => logger.debug(withContext(fields), message),
    info: (fields, message) => logger.info(withContext(fields), message),
    warn: (fields, message) => logger.warn(withContext(fields), message),
    error: (fields, message) => logger.error(withContext(fields), message),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
    child: (fields) => wrap(logger.child(fields), new Set([...bound, ...Object.keys(fields)])),
    withFields: (fields, work) => contextFields.run({ ...contextFields.getStore(), ...fields }, work),
  };
}
