import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../observability/logger.js';
import { FakeWorker, READY_PAGE } from '../../workers/test-support/fake-worker.js';
import { makePool, rejection, signal, state } from '../test-support/pool-doubles.js';
import { createAccountLedger, type AccountLedgerOptions } from './account-ledger.js';

function signedIn(id: string, email: string): FakeWorker {
  const worker = new FakeWorker(id);
  worker.page = { ...READY_PAGE, auth: 'signed-in', email, identity: `user-${email}` };
  return worker;
}

function setup(pacing: Partial<AccountLedgerOptions['pacing']> = {}, queueTimeoutMs = 5000) {
  const clock = { now: 1_000_000 };
  const accounts = createAccountLedger({
    pacing: { minIntervalMs: 0, hourlyBudget: 0, adaptive: false, ...pacing },
    defaultHoldMs: 20 * 60_000,
    logger: createSilentLogger(),
    now: () => clock.now,
  });
  const pool = makePool({ accounts, queueTimeoutMs, now: () => clock.now });
  return { clock, pool, accounts };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('worker pool with accounts', () => {
  it('sends nothing to a held account while another account serves, and refuses at once when none is left', async () => {
    const { pool } = setup();
    const [a, b] = [signedIn('a', 'alice@x'), signedIn('b', 'bob@x')];
    pool.add(a);
    pool.add(b);
    pool.reportOutcome(a, { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    for (let index = 0; index < 3; index += 1) {
      const lease = await pool.acquire({ signal: signal() });
      expect(lease.worker.id).toBe('b');
      lease.release();
    }
    expect(pool.snapshot().workers.find((worker) => worker.id === 'a')?.held).toBe('account-held');
    pool.remove(b);
    const refused = await rejection(pool.acquire({ signal: signal() }));
    expect(refused).toMatchObject({ code: 'account_verification_required', status: 503, headers: { 'Retry-After': '1200' } });
    expect(refused.message).toContain('alice@x');
    expect(refused.message).toContain('Security Verification');
  });

  it('refuses waiting requests as soon as their only account is held', async () => {
    const { pool } = setup();
    const a = new FakeWorker('a', { maxConcurrency: 1 });
    a.page = { ...READY_PAGE, auth: 'signed-in', email: 'alice@x', identity: 'u-a' };
    pool.add(a);
    const busy = await pool.acquire({ signal: signal() });
    const waiting = pool.acquire({ signal: signal() });
    expect(await state(waiting)).toBe('pending');
    pool.reportOutcome(a, { kind: 'rate-limited', retryAfterSeconds: 900 });
    busy.release();
    await tick();
    expect(await rejection(waiting)).toMatchObject({ code: 'rate_limited', status: 429, headers: { 'Retry-After': '900' } });
  });

  it('lifts the hold when the page reports the verification passed', async () => {
    const { pool } = setup();
    const a = signedIn('a', 'alice@x');
    pool.add(a);
    a.page = { ...a.page, verification: true };
    pool.pageChanged(a);
    pool.reportOutcome(a, { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    expect(await rejection(pool.acquire({ signal: signal() }))).toMatchObject({ code: 'account_verification_required' });
    a.page = { ...a.page, verification: false };
    pool.pageChanged(a);
    expect((await pool.acquire({ signal: signal() })).worker.id).toBe('a');
  });

  it('waits for the account whose pacing frees first, and refuses past the deadline with account_budget_exhausted', async () => {
    const { pool, clock } = setup({ minIntervalMs: 50 }, 1000);
    pool.add(signedIn('a', 'alice@x'));
    pool.add(signedIn('b', 'bob@x'));
    const first = await pool.acquire({ signal: signal() });
    const second = await pool.acquire({ signal: signal() });
    expect(new Set([first.worker.id, second.worker.id])).toEqual(new Set(['a', 'b']));
    const third = pool.acquire({ signal: signal() });
    expect(await state(third)).toBe('pending');
    clock.now += 50;
    expect((await third).worker.id).toBe(first.worker.id);

    const slow = setup({ hourlyBudget: 1 }, 1000);
    slow.pool.add(signedIn('c', 'carol@x'));
    await slow.pool.acquire({ signal: signal() });
    const refused = await rejection(slow.pool.acquire({ signal: signal() }));
    expect(refused).toMatchObject({ code: 'account_budget_exhausted', status: 429, headers: { 'Retry-After': '3600' } });
  });
});
