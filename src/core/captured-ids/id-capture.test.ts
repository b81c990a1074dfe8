import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import { FakeWorker } from '../../workers/test-support/fake-worker.js';
import type { CapturedIdsEntry } from './captured-ids-state.js';
import { isBridgeError } from '../errors/index.js';
import { createIdCapture } from './id-capture.js';
import type { IdsCapturedListener } from '../pool/pool-types.js';

function setup(initial: FakeWorker[]) {
  const connected = [...initial];
  const listeners = new Set<IdsCapturedListener>();
  const stored: { global: CapturedIdsEntry[]; pools: Record<string, CapturedIdsEntry[]> } = { global: [], pools: {} };
  const capture = createIdCapture({
    workers: {
      connections: () => [...connected],
      onIdsCaptured(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    state: {
      setGlobal: (entry) => stored.global.push(entry),
      appendToPool: (model, entry) => (stored.pools[model] ??= []).push(entry),
    },
    models: {
      resolve: async (name) => {
        if (name !== 'fake-echo') throw new Error(`unknown model ${name}`);
        return { name, id: 'x', modality: 'chat', capabilities: undefined };
      },
    },
    logger: createSilentLogger(),
    rearmIntervalMs: 10,
    now: () => new Date('2026-03-01T00:00:00.000Z'),
  });
  const emit = (worker: FakeWorker, sessionId: string, messageId: string) => {
    for (const listener of [...listeners]) listener(worker, { sessionId, messageId });
  };
  return { capture, connected, listeners, stored, emit };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createIdCapture', () => {
  it('arms every worker, stores the first capture globally and disarms the others', async () => {
    const [one, two] = [new FakeWorker('w1'), new FakeWorker('w2')];
    const { capture, stored, emit, listeners } = setup([one, two]);
    const pending = capture.capture({ mode: 'battle', battleTarget: 'B', timeoutMs: 5_000 }, new AbortController().signal);
    await tick();
    expect(one.arms).toEqual([true]);
    expect(two.arms).toEqual([true]);
    emit(two, 's-1', 'm-1');
    const result = await pending;
    expect(result).toEqual({
      sessionId: 's-1', messageId: 'm-1', mode: 'battle', battleTarget: 'B', capturedAt: '2026-03-01T00:00:00.000Z', model: undefined, poolSize: 1, workerId: 'w2',
    });
    expect(stored.global).toHaveLength(1);
    expect(one.arms).toEqual([true, false]);
    expect(two.arms).toEqual([true]);
    expect(listeners.size).toBe(0);
  });

  it('arms a worker that joins while waiting, and appends to a model pool', async () => {
    const first = new FakeWorker('w1');
    const { capture, connected, stored, emit } = setup([first]);
    const pending = capture.capture({ mode: 'direct_chat', battleTarget: 'A', model: 'fake-echo', timeoutMs: 5_000 }, new AbortController().signal);
    await tick();
    const late = new FakeWorker('w3');
    connected.push(late);
    await tick(40);
    expect(late.arms).toEqual([true]);
    emit(late, 's-2', 'm-2');
    expect((await pending).poolSize).toBe(1);
    expect(stored.pools['fake-echo']?.[0]).toMatchObject({ sessionId: 's-2', messageId: 'm-2' });
    expect(first.arms).toEqual([true, false]);
  });

  it('fails at once without workers, for an unknown model, and after the timeout (disarming)', async () => {
    const signal = new AbortController().signal;
    const empty = setup([]);
    const none = await empty.capture.capture({ mode: 'direct_chat', battleTarget: 'A', timeoutMs: 1_000 }, signal).catch((error: unknown) => error);
    expect(isBridgeError(none) && none.code).toBe('no_worker_available');

    const worker = new FakeWorker('w1');
    const { capture, listeners } = setup([worker]);
    await expect(capture.capture({ mode: 'direct_chat', battleTarget: 'A', model: 'nope', timeoutMs: 1_000 }, signal)).rejects.toThrow('unknown model nope');
    expect(worker.arms).toEqual([]);
    const late = await capture.capture({ mode: 'direct_chat', battleTarget: 'A', timeoutMs: 30 }, signal).catch((error: unknown) => error);
    expect(isBridgeError(late) && late.code).toBe('upstream_timeout');
    expect(worker.arms).toEqual([true, false]);
    expect(listeners.size).toBe(0);
  });

  it('keeps the agents armed while another call still waits, and answers both', async () => {
    const worker = new FakeWorker('w1');
    const { capture, emit } = setup([worker]);
    const controller = new AbortController();
    const cancelled = capture.capture({ mode: 'direct_chat', battleTarget: 'A', timeoutMs: 5_000 }, controller.signal).catch((error: unknown) => error);
    const kept = capture.capture({ mode: 'direct_chat', battleTarget: 'A', model: 'fake-echo', timeoutMs: 5_000 }, new AbortController().signal);
    const other = capture.capture({ mode: 'direct_chat', battleTarget: 'A', timeoutMs: 5_000 }, new AbortController().signal);
    await tick();
    controller.abort();
    const aborted = await cancelled;
    expect(isBridgeError(aborted) && aborted.code).toBe('client_closed_request');
    expect(worker.arms).toEqual([true]);
    emit(worker, 's-3', 'm-3');
    expect((await kept).sessionId).toBe('s-3');
    expect((await other).sessionId).toBe('s-3');
  });
});
