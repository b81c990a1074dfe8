import { describe, expect, it } from 'vitest';
import { recordingIo } from './test-support/recording-io.js';
import { waitForShutdown } from './wait-for-shutdown.js';

describe('waitForShutdown', () => {
  it('closes on SIGTERM, resolves 0 and removes its listeners', async () => {
    const io = recordingIo({ cwd: '/', homeDir: '/' });
    let closed = 0;
    const done = waitForShutdown(io, async () => {
      closed += 1;
    });
    expect(io.signals.listenerCount('SIGINT')).toBe(1);
    io.signals.emit('SIGTERM', 'SIGTERM');
    expect(await done).toBe(0);
    expect(closed).toBe(1);
    expect(io.signals.listenerCount('SIGINT') + io.signals.listenerCount('SIGTERM')).toBe(0);
    expect(io.exits).toEqual([]);
  });

  it('exits at once on a second signal while closing', async () => {
    const io = recordingIo({ cwd: '/', homeDir: '/' });
    let release = (): void => undefined;
    const done = waitForShutdown(io, () => new Promise<void>((resolve) => (release = resolve)));
    io.signals.emit('SIGINT', 'SIGINT');
    io.signals.emit('SIGINT', 'SIGINT');
    expect(io.exits).toEqual([130]);
    expect(io.err()).toContain('SIGINT again: exiting without waiting.');
    release();
    expect(await done).toBe(0);
  });

  it('resolves 1 when closing fails', async () => {
    const io = recordingIo({ cwd: '/', homeDir: '/' });
    const done = waitForShutdown(io, () => Promise.reject(new Error('socket stuck')));
    io.signals.emit('SIGINT', 'SIGINT');
    expect(await done).toBe(1);
    expect(io.err()).toContain('Shutdown failed: socket stuck');
  });
});
