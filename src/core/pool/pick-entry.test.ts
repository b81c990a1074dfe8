import { describe, expect, it } from 'vitest';
import { FakeWorker, READY_PAGE } from '../../workers/test-support/fake-worker.js';
import { makePool, signal, state } from '../test-support/pool-doubles.js';
import type { WorkerLease } from './worker-pool.js';

const h2Page = (identity: string | null = null) => ({ ...READY_PAGE, httpProtocol: 'h2', identity });
const http1Page = (identity: string | null = null) => ({ ...READY_PAGE, httpProtocol: 'http/1.1', identity });

function countBy(leases: readonly WorkerLease[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const lease of leases) counts[lease.worker.id] = (counts[lease.worker.id] ?? 0) + 1;
  return counts;
}

describe('worker pool choice', () => {
  it('fills an HTTP/2 page before HTTP/1.1 pages until its free slots come down to theirs, then spreads', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: undefined });
    pool.add(new FakeWorker('h2', { maxConcurrency: 64, page: h2Page() }));
    pool.add(new FakeWorker('a', { maxConcurrency: 6, page: http1Page() }));
    pool.add(new FakeWorker('b', { maxConcurrency: 6, page: http1Page() }));
    expect(pool.snapshot().capacity).toBe(76);

    const leases: WorkerLease[] = [];
    for (let index = 0; index < 58; index += 1) leases.push(await pool.acquire({ signal: signal() }));
    expect(countBy(leases)).toEqual({ h2: 58 });
    // Six free slots each now: the pages whose accounts have nothing in flight come first.
    for (let index = 0; index < 3; index += 1) leases.push(await pool.acquire({ signal: signal() }));
    expect(leases.slice(58).map((lease) => lease.worker.id)).toEqual(['a', 'b', 'h2']);
    while (leases.length < 76) leases.push(await pool.acquire({ signal: signal() }));
    expect(countBy(leases)).toEqual({ h2: 64, a: 6, b: 6 });

    const waiting = pool.acquire({ signal: signal() });
    expect(await state(waiting)).toBe('pending');
    leases.find((lease) => lease.worker.id === 'a')?.release();
    expect((await waiting).worker.id).toBe('a');
  });

  it('sends a job to the page with the most free slots, whatever its past', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: undefined });
    const [small, big] = [new FakeWorker('small', { maxConcurrency: 6 }), new FakeWorker('big', { maxConcurrency: 64 })];
    pool.add(small);
    pool.add(big);
    const first = await pool.acquire({ signal: signal() });
    expect(first.worker).toBe(big);
    first.release();
    // Least recently used would pick `small`; free slots (64 against 6) decide first.
    expect((await pool.acquire({ signal: signal() })).worker).toBe(big);
  });

  it('breaks a tie in free slots by the account with fewer leases in flight, then least recently used', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: undefined });
    pool.add(new FakeWorker('x1', { maxConcurrency: 6, page: http1Page('account-x') }));
    pool.add(new FakeWorker('x2', { maxConcurrency: 6, page: http1Page('account-x') }));
    pool.add(new FakeWorker('y1', { maxConcurrency: 6, page: http1Page('account-y') }));
    const order: string[] = [];
    for (let index = 0; index < 3; index += 1) order.push((await pool.acquire({ signal: signal() })).worker.id);
    // x1 first (all equal, none used yet), then y1 (account x already has a lease), then x2 (most free).
    expect(order).toEqual(['x1', 'y1', 'x2']);
  });

  it('keeps holds, filters and exclusions above free slots', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: undefined });
    const [big, small] = [new FakeWorker('big', { maxConcurrency: 64 }), new FakeWorker('small', { maxConcurrency: 6 })];
    pool.add(big);
    pool.add(small);
    expect((await pool.acquire({ signal: signal(), exclude: new Set(['big']) })).worker).toBe(small);
    expect((await pool.acquire({ signal: signal(), filter: (worker) => worker.id === 'small' })).worker).toBe(small);
    pool.reportOutcome(big, { kind: 'challenge' });
    expect((await pool.acquire({ signal: signal() })).worker).toBe(small);
  });
});
