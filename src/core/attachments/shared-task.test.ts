import { describe, expect, it } from 'vitest';
import { startSharedTask } from './shared-task.js';

function deferred() {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((done) => (resolve = done));
  return { promise, resolve };
}

describe('startSharedTask', () => {
  it('keeps the work going for the others when one waiter leaves', async () => {
    const gate = deferred();
    let workSignal: AbortSignal | undefined;
    const task = startSharedTask((signal) => {
      workSignal = signal;
      return gate.promise;
    });
    const first = new AbortController();
    const leaving = task.join(first.signal);
    const staying = task.join(new AbortController().signal);
    first.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'client_closed_request' });
    expect(workSignal?.aborted).toBe(false);
    gate.resolve('done');
    await expect(staying).resolves.toBe('done');
  });

  it('cancels the work once every waiter has left', async () => {
    let workSignal: AbortSignal | undefined;
    const task = startSharedTask((signal) => {
      workSignal = signal;
      return new Promise<string>(() => undefined);
    });
    const only = new AbortController();
    const waiting = task.join(only.signal);
    only.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'client_closed_request' });
    expect(workSignal?.aborted).toBe(true);
  });
});
