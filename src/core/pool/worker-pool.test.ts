import { describe, expect, it } from 'vitest';
import { FakeWorker, READY_PAGE } from '../../workers/test-support/fake-worker.js';
import { HINT, makePool, rejection, signal, state } from '../test-support/pool-doubles.js';

describe('worker pool selection', () => {
  it('rejects at once with the connect hint when no worker is connected', async () => {
    const pool = makePool();
    expect(await rejection(pool.acquire({ signal: signal() }))).toMatchObject({ code: 'no_worker_available', status: 503, message: expect.stringContaining(HINT) });
  });

  it('picks the least busy worker, least recently used on ties', async () => {
    const pool = makePool();
    const [a, b] = [new FakeWorker('a'), new FakeWorker('b')];
    pool.add(a);
    pool.add(b);
    const first = await pool.acquire({ signal: signal() });
    const second = await pool.acquire({ signal: signal() });
    expect([first.worker.id, second.worker.id].sort()).toEqual(['a', 'b']);
    first.release();
    second.release();
    // Both idle again: the one leased longest ago goes first.
    expect((await pool.acquire({ signal: signal() })).worker.id).toBe(first.worker.id);
  });

  it('honours filter and exclude, rejecting when no connected worker could ever match', async () => {
    const pool = makePool();
    pool.add(new FakeWorker('a'));
    pool.add(new FakeWorker('b'));
    expect((await pool.acquire({ signal: signal(), exclude: new Set(['a']) })).worker.id).toBe('b');
    expect((await pool.acquire({ signal: signal(), filter: (worker) => worker.id === 'a' })).worker.id).toBe('a');
    expect((await rejection(pool.acquire({ signal: signal(), exclude: new Set(['a', 'b']) }))).code).toBe('no_worker_available');
  });

  it('caps leases per worker and queues FIFO, waking waiters in order on release', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1 });
    pool.add(new FakeWorker('a'));
    const held = await pool.acquire({ signal: signal() });
    const order: string[] = [];
    const first = pool.acquire({ signal: signal() }).then((lease) => {
      order.push('first');
      return lease;
    });
    const second = pool.acquire({ signal: signal() }).then((lease) => {
      order.push('second');
      return lease;
    });
    expect(await state(first)).toBe('pending');
    expect(pool.snapshot().queued).toBe(2);
    held.release();
    held.release();
    (await first).release();
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(pool.snapshot().queued).toBe(0);
  });

  it('wakes a waiter when a new worker joins', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1 });
    pool.add(new FakeWorker('a'));
    await pool.acquire({ signal: signal() });
    const waiting = pool.acquire({ signal: signal() });
    pool.add(new FakeWorker('b'));
    expect((await waiting).worker.id).toBe('b');
  });

  it('answers queue_full when the queue is at its limit', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1, queueLimit: 1 });
    pool.add(new FakeWorker('a'));
    await pool.acquire({ signal: signal() });
    const queued = pool.acquire({ signal: signal() });
    expect((await rejection(pool.acquire({ signal: signal() }))).code).toBe('queue_full');
    expect(await state(queued)).toBe('pending');
  });

  it('gives the bridge\'s own work no client queue slot, and serves clients before it', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1, queueLimit: 1 });
    pool.add(new FakeWorker('a'));
    const busy = await pool.acquire({ signal: signal() });
    const refresh = pool.acquire({ signal: signal(), streamRequest: false, internal: true });
    const client = pool.acquire({ signal: signal() });
    expect(await state(client)).toBe('pending');
    expect(pool.snapshot().queued).toBe(2);
    busy.release();
    expect(await state(client)).toBe('resolved');
    expect(await state(refresh)).toBe('pending');
    (await client).release();
    expect(await state(refresh)).toBe('resolved');
  });

  it('times out a waiter with no_worker_available saying why each worker was unavailable', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1, queueTimeoutMs: 50 });
    pool.add(new FakeWorker('a'));
    await pool.acquire({ signal: signal() });
    const error = await rejection(pool.acquire({ signal: signal() }));
    expect(error.code).toBe('no_worker_available');
    expect(error.message).toContain('All 1 connected workers');
    expect(error.message).toContain('a busy with 1/1');
    expect(pool.snapshot().queued).toBe(0);
  });

  it('removes an aborted waiter from the queue with a ClientAbortError', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1 });
    pool.add(new FakeWorker('a'));
    const held = await pool.acquire({ signal: signal() });
    const controller = new AbortController();
    const aborted = pool.acquire({ signal: controller.signal });
    const next = pool.acquire({ signal: signal() });
    controller.abort();
    expect((await rejection(aborted)).code).toBe('client_closed_request');
    expect(pool.snapshot().queued).toBe(1);
    held.release();
    expect((await next).worker.id).toBe('a');
  });

  it('rejects waiters with shutting_down on close', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: 1 });
    pool.add(new FakeWorker('a'));
    await pool.acquire({ signal: signal() });
    const waiting = pool.acquire({ signal: signal() });
    pool.close();
    expect((await rejection(waiting)).code).toBe('shutting_down');
    expect((await rejection(pool.acquire({ signal: signal() }))).code).toBe('shutting_down');
  });
});

describe('worker pool health', () => {
  it('holds a challenged worker, reloads it once per episode, and releases waiters when it clears', async () => {
    const pool = makePool();
    const worker = new FakeWorker('a');
    pool.add(worker);
    pool.reportOutcome(worker, { kind: 'challenge' });
    pool.reportOutcome(worker, { kind: 'challenge' });
    expect(worker.reloads).toEqual(['challenge']);
    expect(pool.snapshot().workers[0]?.held).toBe('challenge');

    const waiting = pool.acquire({ signal: signal() });
    worker.page = { ...READY_PAGE, challenge: true };
    pool.pageChanged(worker);
    expect(await state(waiting)).toBe('pending');
    worker.page = { ...READY_PAGE, challenge: false };
    pool.pageChanged(worker);
    expect((await waiting).worker).toBe(worker);
    expect(pool.snapshot().workers[0]?.held).toBeNull();

    pool.reportOutcome(worker, { kind: 'challenge' });
    expect(worker.reloads).toEqual(['challenge', 'challenge']);
  });

  it('keeps waiters waiting while every worker is held, then times out naming the challenge', async () => {
    const pool = makePool({ queueTimeoutMs: 60 });
    const worker = new FakeWorker('a');
    pool.add(worker);
    pool.reportOutcome(worker, { kind: 'challenge' });
    const error = await rejection(pool.acquire({ signal: signal() }));
    expect(error.code).toBe('no_worker_available');
    expect(error.message).toContain('challenge');
  });

  it('cools a rate-limited worker down until Retry-After passes (injected clock)', async () => {
    let clock = 1_000_000;
    const pool = makePool({ now: () => clock, queueTimeoutMs: 30 });
    const worker = new FakeWorker('a');
    pool.add(worker);
    pool.reportOutcome(worker, { kind: 'rate-limited', retryAfterSeconds: 20 });
    expect(pool.snapshot().workers[0]).toMatchObject({ held: 'rate-limited', coolDownUntil: 1_020_000 });
    expect((await rejection(pool.acquire({ signal: signal() }))).message).toContain('rate-limited by the arena for 20 s more');
    clock += 20_001;
    expect((await pool.acquire({ signal: signal() })).worker.id).toBe('a');
    expect(pool.snapshot().workers[0]).toMatchObject({ held: null, coolDownUntil: null });
  });

  it('defaults the cool-down to 30 s and caps it at an hour', () => {
    const clock = 0;
    const pool = makePool({ now: () => clock });
    const [a, b] = [new FakeWorker('a'), new FakeWorker('b')];
    pool.add(a);
    pool.add(b);
    pool.reportOutcome(a, { kind: 'rate-limited' });
    pool.reportOutcome(b, { kind: 'rate-limited', retryAfterSeconds: 99_999 });
    expect(pool.snapshot().workers.map((worker) => worker.coolDownUntil)).toEqual([30_000, 3_600_000]);
  });

  it('wakes waiters when a cool-down ends', async () => {
    const pool = makePool();
    const worker = new FakeWorker('a');
    pool.add(worker);
    pool.reportOutcome(worker, { kind: 'rate-limited', retryAfterSeconds: 0.05 });
    const waiting = pool.acquire({ signal: signal() });
    expect(await state(waiting)).toBe('pending');
    expect((await waiting).worker).toBe(worker);
  });

  it('gives a recovering worker no new jobs, sends them to the others, and wakes waiters when it is back', async () => {
    const pool = makePool({ queueTimeoutMs: 60 });
    const [a, b] = [new FakeWorker('a', { maxConcurrency: 1 }), new FakeWorker('b', { maxConcurrency: 1 })];
    pool.add(a);
    pool.add(b);
    pool.recovering(a, true);
    expect(pool.snapshot().workers.map((worker) => worker.held)).toEqual(['recovering', null]);
    const onB = await pool.acquire({ signal: signal() });
    expect(onB.worker).toBe(b);
    const error = await rejection(pool.acquire({ signal: signal() }));
    expect(error.message).toContain('a having its page reloaded by the bridge');

    const waiting = pool.acquire({ signal: signal() });
    expect(await state(waiting)).toBe('pending');
    pool.recovering(a, false);
    expect((await waiting).worker).toBe(a);
    onB.release();
  });

  it('reloads after three reCAPTCHA rejections in a row, counting from the last success', () => {
    const pool = makePool();
    const worker = new FakeWorker('a');
    pool.add(worker);
    pool.reportOutcome(worker, { kind: 'recaptcha-rejected' });
    pool.reportOutcome(worker, { kind: 'recaptcha-rejected' });
    pool.reportOutcome(worker, { kind: 'ok' });
    pool.reportOutcome(worker, { kind: 'recaptcha-rejected' });
    pool.reportOutcome(worker, { kind: 'recaptcha-rejected' });
    expect(worker.reloads).toEqual([]);
    pool.reportOutcome(worker, { kind: 'recaptcha-rejected' });
    expect(worker.reloads).toEqual(['recaptcha']);
  });

  it('follows a worker\'s capacity as its page changes protocol, waking waiters when it grows', async () => {
    const pool = makePool({ maxConcurrencyPerWorker: undefined });
    const worker = new FakeWorker('a', { maxConcurrency: 6, page: { ...READY_PAGE, httpProtocol: 'http/1.1' } });
    pool.add(worker);
    const leases = await Promise.all(Array.from({ length: 6 }, () => pool.acquire({ signal: signal() })));
    const waiting = pool.acquire({ signal: signal() });
    expect(await state(waiting)).toBe('pending');

    // The page reloaded over HTTP/2.
    worker.page = { ...READY_PAGE, httpProtocol: 'h2' };
    worker.maxConcurrency = 64;
    pool.pageChanged(worker);
    leases.push(await waiting);
    expect(pool.snapshot()).toMatchObject({ capacity: 64, workers: [{ maxConcurrency: 64 }] });

    // Back on HTTP/1.1 with 7 jobs running: no new job until fewer than 6 are.
    worker.page = { ...READY_PAGE, httpProtocol: 'http/1.1' };
    worker.maxConcurrency = 6;
    pool.pageChanged(worker);
    expect(pool.snapshot().capacity).toBe(6);
    const next = pool.acquire({ signal: signal() });
    leases.pop()?.release();
    expect(await state(next)).toBe('pending');
    leases.pop()?.release();
    expect((await next).worker).toBe(worker);
  });

  it('forgets removed workers, reports capacity and forwards captured ids', async () => {
    const pool = makePool();
    const [a, b] = [new FakeWorker('a'), new FakeWorker('b', { maxConcurrency: 1 })];
    pool.add(a);
    pool.add(b);
    expect(pool.snapshot().capacity).toBe(3);
    const seen: string[] = [];
    const unsubscribe = pool.onIdsCaptured((worker, ids) => seen.push(`${worker.id}:${ids.sessionId}:${ids.messageId}`));
    pool.idsCaptured(a, { sessionId: 's', messageId: 'm' });
    unsubscribe();
    pool.idsCaptured(a, { sessionId: 's2', messageId: 'm2' });
    expect(seen).toEqual(['a:s:m']);
    const lease = await pool.acquire({ signal: signal(), filter: (worker) => worker.id === 'a' });
    a.closed = true;
    pool.remove(a);
    lease.release();
    expect(pool.size).toBe(1);
    expect(pool.snapshot().workers.map((worker) => worker.id)).toEqual(['b']);
  });
});
