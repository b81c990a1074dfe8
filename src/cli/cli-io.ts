/** Where a signal handler is registered; `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

/** Everything the CLI touches of its process, passed in so tests run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
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
