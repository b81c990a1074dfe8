import type { LoggingConfig } from '../config/index.js';
import { createLogger, type Logger, type LogLevel } from '../observability/logger.js';

/** Where a signal handler is registered; `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Everything the CLI touches of its process, passed in so tests run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  /** Logs go here too; `isTTY` picks readable log lines for `log_format: "auto"`. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** @default os.homedir() */
  homeDir?: string;
  /** @default process */
  signals?: SignalSource;
  /** Ends the process at once (a second Ctrl+C while shutting down). @default process.exit */
  exit?: (code: number) => void;
}

/** Writes one line to stdout. */
export function printLine(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

/** Writes one line to stderr. */
export function printError(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}

/**
 * The command's logger: on `io.stderr`, in the configured format (`auto`: text on a terminal, JSON
 * otherwise), coloured on a terminal unless NO_COLOR is set.
 */
export function createCliLogger(io: CliIo, logging: Pick<LoggingConfig, 'format'> & { level: LogLevel }): Logger {
  const terminal = io.stderr.isTTY === true;
  const format = logging.format === 'auto' ? (terminal ? 'text' : 'json') : logging.format;
  return createLogger({ level: logging.level, format, color: terminal && (io.env.NO_COLOR ?? '') === '', destination: io.stderr });
}
