import type { CliIo, SignalSource } from './cli-io.js';
import { printError } from './cli-io.js';

/**
 * Waits for SIGINT or SIGTERM, then runs `close` and resolves with the exit code (0, or 1 if
 * closing failed). A second signal while closing ends the process at once.
 */
export function waitForShutdown(io: CliIo, close: () => Promise<void>): Promise<number> {
  const signals: SignalSource = io.signals ?? process;
  const exit = io.exit ?? ((code: number) => process.exit(code));
  return new Promise((resolve) => {
    let closing = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (closing) {
        printError(io, `${signal} again: exiting without waiting.`);
        exit(signal === 'SIGINT' ? 130 : 143);
        return;
      }
      closing = true;
      printError(io, `${signal} received: shutting down (send it again to exit at once).`);
      close().then(
        () => finish(0),
        (error: unknown) => {
          printError(io, `Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          finish(1);
        },
      );
    };
    const finish = (code: number): void => {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      resolve(code);
    };
    signals.on('SIGINT', onSignal);
    signals.on('SIGTERM', onSignal);
  });
}
