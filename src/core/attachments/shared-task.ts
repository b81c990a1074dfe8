import { ClientAbortError } from '../errors/index.js';

/** Work that several requests wait for together (one upload of the same bytes, one discovery). */
export interface SharedTask<T> {
  /** Waits for the work under `signal`: aborting it leaves only this waiter. */
  join(signal: AbortSignal): Promise<T>;
}

/**
 * Starts `work` under its own AbortController, so one waiter going away never fails the others;
 * the work itself is cancelled only once every waiter has left before it finished.
 */
export function startSharedTask<T>(work: (signal: AbortSignal) => Promise<T>): SharedTask<T> {
  const controller = new AbortController();
  let settled = false;
  let waiters = 0;
  const result = work(controller.signal).finally(() => {
    settled = true;
  });
  // A rejection nobody waits for any more must not become an unhandled one.
  result.catch(() => undefined);
  return {
    async join(signal) {
      if (signal.aborted) throw new ClientAbortError('The client cancelled the request.');
      waiters += 1;
      let onAbort: (() => void) | undefined;
      const left = new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(new ClientAbortError('The client cancelled the request.'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([result, left]);
      } finally {
        if (onAbort) signal.removeEventListener('abort', onAbort);
        waiters -= 1;
        if (waiters === 0 && !settled) controller.abort();
      }
    },
  };
}
