/** Polling helpers shared by the bridge integration and end-to-end tests. */

/**
 * Polls `check` every `intervalMs` until it returns a value other than `undefined`/`false`, or
 * fails after `timeoutMs` naming `what`.
 * @example const entry = await waitFor(() => fake.requests.find((request) => request.aborted), 'an aborted request');
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves after `milliseconds`. */
export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
