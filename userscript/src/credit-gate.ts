import { JobFailure } from './job-failure.js';

/** Chunk credits of one job (flow control of the worker protocol). */
export interface CreditGate {
  readonly credits: number;
  /** Adds credit granted by a `job-ack` and wakes a waiting reader. */
  grant(credit: number): void;
  /** Uses one credit for a chunk about to be sent. */
  spend(): void;
  /** Resolves when at least one credit is available; rejects `aborted` when the signal aborts. */
  available(signal: AbortSignal): Promise<void>;
}

/** Creates a gate holding `initial` credits (the job's `window`). */
export function createCreditGate(initial: number): CreditGate {
  let credits = initial;
  let wake: (() => void) | undefined;
  return {
    get credits() {
      return credits;
    },
    grant(credit) {
      credits += credit;
      const waiter = wake;
      wake = undefined;
      waiter?.();
    },
    spend() {
      credits -= 1;
    },
    available(signal) {
      if (signal.aborted) return Promise.reject(new JobFailure('aborted', 'The job was cancelled.'));
      if (credits > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          wake = undefined;
          reject(new JobFailure('aborted', 'The job was cancelled.'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    },
  };
}
