import type { AgentTimers } from './agent-environment.js';
import { JobFailure } from './job-failure.js';

/** Options for {@link settleWithin}. */
export interface SettleOptions {
  timers: AgentTimers;
  timeoutMs: number;
  signal: AbortSignal;
  /** The failure to reject with when `timeoutMs` passes first. */
  onTimeout: () => JobFailure;
}

function abortFailure(signal: AbortSignal): JobFailure {
  return new JobFailure('aborted', 'The job was cancelled.', { cause: signal.reason });
}

/**
 * Settles with `work` unless the timeout passes or the signal aborts first (then rejects with a
 * {@link JobFailure}). The timer and the abort listener are always removed.
 */
export function settleWithin<T>(work: PromiseLike<T>, options: SettleOptions): Promise<T> {
  const { timers, signal } = options;
  if (signal.aborted) return Promise.reject(abortFailure(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => finish(() => reject(abortFailure(signal)));
    const timer = timers.setTimeout(() => finish(() => reject(options.onTimeout())), options.timeoutMs);
    let done = false;
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      settle();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Resolves after `delayMs`, or rejects with an `aborted` {@link JobFailure} when the signal aborts. */
export function sleep(timers: AgentTimers, delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortFailure(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      timers.clearTimeout(timer);
      reject(abortFailure(signal));
    };
    const timer = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
