import { pino, type Logger as PinoLogger } from 'pino';
import { textLogDestination, type TextSink } from './text-log-lines.js';

/** Log levels, quietest first. `off` disables logging. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** How lines are written: JSON lines for machines, or `time LEVEL message key=value` for people. */
export type LogFormat = 'json' | 'text';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The one logging interface of the project. Messages are English; details go in fields, not
 * interpolated prose. Child loggers carry request-scoped fields (`requestId`, `model`, `transport`).
 */
export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

/** Paths redacted in every log line: credentials never reach a log. */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'set-cookie',
  'apiKey',
  'api_key',
  'secret',
  'token',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.token',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
];

type Method = 'error' | 'warn' | 'info' | 'debug';

/**
 * Request-scoped children are made on every request but rarely write (most lines are `debug`), so
 * the pino child behind one is made on its first line at an enabled level, not when it is asked
 * for. A child of a child carries both sets of fields, the later winning.
 */
function wrap(root: PinoLogger, fields: LogFields | undefined, level: LogLevel): Logger {
  let made: PinoLogger | undefined = fields === undefined ? root : undefined;
  const write = (method: Method, message: string, extra: LogFields | undefined): void => {
    if (!root.isLevelEnabled(method)) return;
    made ??= root.child(fields ?? {});
    made[method](extra ?? {}, message);
  };
  return {
    level,
    error: (message, extra) => write('error', message, extra),
    warn: (message, extra) => write('warn', message, extra),
    info: (message, extra) => write('info', message, extra),
    debug: (message, extra) => write('debug', message, extra),
    child: (more) => wrap(root, fields === undefined ? more : { ...fields, ...more }, level),
  };
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** @default 'json' */
  format?: LogFormat;
  /** Colour the level and fields of text lines (a terminal that wants it). @default false */
  color?: boolean;
  /** Where lines go. @default process.stderr */
  destination?: TextSink;
}

/** Creates a pino-backed {@link Logger} writing JSON lines, or text lines with `format: 'text'`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const sink = options.destination ?? process.stderr;
  const logger = pino(
    {
      level: level === 'off' ? 'silent' : level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    options.format === 'text' ? textLogDestination(sink, options.color ?? false) : sink,
  );
  return wrap(logger, undefined, level);
}

/** A logger that drops everything; for tests and library use. */
export function createSilentLogger(): Logger {
  const silent: Logger = {
    level: 'off',
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    child: () => silent,
  };
  return silent;
}
