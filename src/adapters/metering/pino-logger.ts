import { AsyncLocalStorage } from "node:async_hooks";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type pino from "pino";
import type { Logger } from "pino";
import type pinoPretty from "pino-pretty";
import { GromptError } from "../../core/domain/errors";
import type { LoggerPort } from "../../core/ports/logger-port";
import { createRedactor } from "./redact";

// pino and pino-pretty are required (both are CommonJS) when the first line is written: a command
// that logs nothing — `config show`, `jobs list` — never loads them.
const require = createRequire(import.meta.url);

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

/**
 * pino JSON logs, one file per day under `$GROMPT_HOME/logs`, with redaction on every line. The file
 * is created now (an unusable home fails here, as one clear line); pino itself loads with the first
 * line written.
 */
export function createPinoLogger(options: LoggerOptions): LoggerPort & { flush(): void } {
  const file = options.logDir === undefined ? undefined : openLogFile(options.logDir);
  let base: Logger | undefined;
  const open = (): Logger => (base ??= buildPino(options, file));
  return Object.assign(wrap(open), { flush: () => base?.flush() });
}

function buildPino(options: LoggerOptions, file: string | undefined): Logger {
  const pinoLogger = require("pino") as typeof pino;
  const redactor = createRedactor(options.secrets);
  const streams: pino.StreamEntry[] = [];
  if (file !== undefined) streams.push({ level: "trace", stream: pinoLogger.destination({ dest: file, sync: true }) });
  if (options.stream !== undefined) streams.push({ level: "trace", stream: options.stream });
  if (options.pretty === true) {
    const pretty = require("pino-pretty") as typeof pinoPretty;
    streams.push({ level: "trace", stream: pretty({ destination: 2, sync: true, colorize: true, ignore: "pid,hostname" }) });
  }
  return pinoLogger(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pinoLogger.stdTimeFunctions.isoTime,
      formatters: { log: (record) => redactor.value(record) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === "string" ? redactor.text(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    streams.length === 0 ? pinoLogger.destination({ dest: "/dev/null", sync: true }) : pinoLogger.multistream(streams),
  );
}

/** Today's log file, created; an unusable log directory is a clear error, not a crash. */
function openLogFile(logDir: string): string {
  const file = join(logDir, `grompt-${new Date().toISOString().slice(0, 10)}.log`);
  try {
    mkdirSync(logDir, { recursive: true });
    // Opened here (not lazily by pino) so the failure surfaces now, as one line.
    closeSync(openSync(file, "a"));
    return file;
  } catch (error) {
    throw new GromptError("io_error", `Cannot write the log file ${file}: ${(error as Error).message}`, {
      hint: "Make $GROMPT_HOME (and its logs/ directory) writable, or set GROMPT_HOME to a writable directory.",
      cause: error,
    });
  }
}

/** Fields set by `withFields` for the current async context (a provider call's ids). */
const contextFields = new AsyncLocalStorage<Record<string, unknown>>();

/**
 * `logger()` builds pino on first call; `bound`: keys a child logger already carries, so a context
 * field is never written twice on one line.
 */
function wrap(logger: () => Logger, bound: ReadonlySet<string> = new Set()): LoggerPort {
  const withContext = (fields: Record<string, unknown>): Record<string, unknown> => {
    const context = contextFields.getStore();
    if (context === undefined) return fields;
    const merged: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context)) if (!bound.has(key)) merged[key] = value;
    return Object.assign(merged, fields);
  };
  return {
    debug: (fields, message) => logger().debug(withContext(fields), message),
    info: (fields, message) => logger().info(withContext(fields), message),
    warn: (fields, message) => logger().warn(withContext(fields), message),
    error: (fields, message) => logger().error(withContext(fields), message),
    isLevelEnabled: (level) => logger().isLevelEnabled(level),
    child: (fields) => {
      let child: Logger | undefined;
      return wrap(() => (child ??= logger().child(fields)), new Set([...bound, ...Object.keys(fields)]));
    },
    withFields: (fields, work) => {
      // Outside any context (every provider call but a nested one) the caller's object is the store as is.
      const outer = contextFields.getStore();
      return contextFields.run(outer === undefined ? fields : { ...outer, ...fields }, work);
    },
  };
}
