import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
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
  if (options.logDir !== undefined) {
    mkdirSync(options.logDir, { recursive: true });
    const day = new Date().toISOString().slice(0, 10);
    streams.push({ level: "trace", stream: pino.destination({ dest: join(options.logDir, `grompt-${day}.log`), sync: true }) });
  }
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

function wrap(logger: Logger): LoggerPort {
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    child: (fields) => wrap(logger.child(fields)),
  };
}
