import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeEvents, type BridgeEvent } from '../../observability/bridge-events.js';
import { createSilentLogger } from '../../observability/logger.js';
import { createAccountLedger, type AccountLedger, type AccountLedgerOptions } from './account-ledger.js';
import type { AccountStateStore, PersistedAccount } from './account-types.js';

const MINUTE = 60_000;
const ledgers: AccountLedger[] = [];
afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
});

function memoryStore(): AccountStateStore & { rows: Map<string, PersistedAccount> } {
  const rows = new Map<string, PersistedAccount>();
  return { rows, load: () => [...rows.values()], save: (row) => rows.set(row.account, row), remove: (account) => rows.delete(account) };
}

function setup(overrides: Partial<AccountLedgerOptions> = {}) {
  const clock = { now: 1_000_000 };
  const seen: BridgeEvent[] = [];
  const events = createBridgeEvents();
  events.subscribe((event) => seen.push(event));
  const counts = { holds: 0, probesRejected: 0 };
  const ledger = createAccountLedger({
    pacing: { minIntervalMs: 0, hourlyBudget: 0, adaptive: true },
    defaultHoldMs: 20 * MINUTE,
    logger: createSilentLogger(),
    events,
    now: () => clock.now,
    onHoldStarted: () => (counts.holds += 1),
    onProbeRejected: () => (counts.probesRejected += 1),
    ...overrides,
  });
  ledgers.push(ledger);
  return { clock, ledger, seen, counts };
}

describe('account holds', () => {
  it('never slows an account that was not held', () => {
    const { ledger, clock } = setup();
    for (let index = 0; index < 50; index += 1) {
      expect(ledger.readiness('a')).toEqual({ kind: 'ready' });
      ledger.started('a', 'a@x', 'w1');
      ledger.report('a', 'a@x', { kind: 'completed' });
      clock.now += 10;
    }
  });

  it('holds on the second refusal a fresh token did not fix, for the default time without retry-after', () => {
    const { ledger, clock, seen, counts } = setup();
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected' });
    expect(ledger.readiness('a').kind).not.toBe('held');
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected' });
    expect(ledger.readiness('a')).toEqual({ kind: 'held', until: clock.now + 20 * MINUTE, reason: 'verification' });
    expect(counts.holds).toBe(1);
    expect(seen.map((event) => event.type)).toEqual(['account.held']);
    expect(ledger.describeHold('a')).toContain('Security Verification');
    expect(ledger.readiness('b')).toEqual({ kind: 'ready' });
  });

  it('a served answer resets the refusal count', () => {
    const { ledger } = setup();
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected' });
    ledger.report('a', 'a@x', { kind: 'served' });
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected' });
    expect(ledger.readiness('a').kind).toBe('ready');
  });

  it('holds at once on a long retry-after, for that long, then lets exactly one probe go', () => {
    const { ledger, clock, seen, counts } = setup();
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    expect(ledger.readiness('a')).toMatchObject({ kind: 'held', until: clock.now + 1_200_000 });
    clock.now += 1_200_000;
    expect(ledger.readiness('a')).toEqual({ kind: 'ready' });
    ledger.started('a', 'a@x', 'w1');
    expect(ledger.readiness('a')).toEqual({ kind: 'probe-busy' });
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 30 });
    expect(counts.probesRejected).toBe(1);
    expect(ledger.readiness('a')).toMatchObject({ kind: 'held', until: clock.now + 30_000 });
    clock.now += 30_000;
    ledger.started('a', 'a@x', 'w1');
    ledger.report('a', 'a@x', { kind: 'served' });
    expect(ledger.snapshot()[0]).toMatchObject({ state: 'serving', until: null });
    expect(seen.map((event) => event.type)).toEqual(['account.held', 'account.probing', 'account.held', 'account.probing', 'account.released']);
  });

  it('a probe that ends without a verdict frees the probe slot', () => {
    const { ledger, clock } = setup();
    ledger.report('a', 'a@x', { kind: 'rate-limited', retryAfterSeconds: 600 });
    clock.now += 600_000;
    ledger.started('a', 'a@x', 'w1');
    expect(ledger.readiness('a').kind).toBe('probe-busy');
    ledger.finished('a', 'w1');
    expect(ledger.readiness('a').kind).not.toBe('probe-busy');
  });

  it('a passed verification releases the hold at once', () => {
    const { ledger, seen } = setup();
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    ledger.verificationPassed('a');
    expect(ledger.readiness('a').kind).toBe('ready');
    expect(seen.at(-1)).toMatchObject({ type: 'account.released', account: 'a@x', reason: 'verification-passed' });
  });
});

describe('account holds across restarts', () => {
  it('restores a running hold, and an ended one as a probe', () => {
    const store = memoryStore();
    const first = setup({ store });
    first.ledger.report('a', 'a@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    first.ledger.report('b', 'b@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 200 });
    const second = setup({ store });
    second.clock.now = first.clock.now + 300_000;
    expect(second.ledger.readiness('a')).toMatchObject({ kind: 'held', until: first.clock.now + 1_200_000 });
    expect(second.ledger.readiness('b')).toEqual({ kind: 'ready' });
    second.ledger.started('b', 'b@x', 'w2');
    expect(second.ledger.readiness('b').kind).toBe('probe-busy');
    second.ledger.report('b', 'b@x', { kind: 'served' });
    expect(store.rows.get('b')).toMatchObject({ holdUntil: null, probing: false });
  });
});

describe('account pacing', () => {
  it('keeps a fixed spacing and an hourly budget', () => {
    const { ledger, clock } = setup({ pacing: { minIntervalMs: 5000, hourlyBudget: 3, adaptive: false } });
    ledger.started('a', 'a@x', 'w');
    expect(ledger.readiness('a')).toEqual({ kind: 'paced', readyAt: clock.now + 5000 });
    const first = clock.now;
    clock.now += 5000;
    ledger.started('a', 'a@x', 'w');
    clock.now += 5000;
    ledger.started('a', 'a@x', 'w');
    clock.now += 5000;
    expect(ledger.readiness('a')).toEqual({ kind: 'paced', readyAt: first + 3_600_000 });
  });

  it('learns a spacing when the account trips and relaxes it while it serves cleanly', () => {
    const { ledger, clock } = setup();
    for (let index = 0; index < 3; index += 1) {
      ledger.started('a', 'a@x', 'w');
      clock.now += 20_000;
    }
    ledger.report('a', 'a@x', { kind: 'recaptcha-rejected', retryAfterSeconds: 1200 });
    ledger.verificationPassed('a');
    const learned = ledger.snapshot()[0]?.spacingMs ?? 0;
    expect(learned).toBe(40_000);
    // The hold was pause enough: the first request after it goes at once, the next waits the spacing.
    expect(ledger.readiness('a')).toEqual({ kind: 'ready' });
    ledger.started('a', 'a@x', 'w');
    expect(ledger.readiness('a')).toEqual({ kind: 'paced', readyAt: clock.now + 40_000 });
    ledger.report('a', 'a@x', { kind: 'completed' });
    expect(ledger.snapshot()[0]?.spacingMs).toBe(36_000);
  });

  it('waits for the site\'s announced reset when its budget is spent', () => {
    const { ledger, clock } = setup();
    ledger.observeBudget('a', { limit: 1800, windowSeconds: 300, remaining: 0, resetSeconds: 42 });
    expect(ledger.readiness('a')).toEqual({ kind: 'paced', readyAt: clock.now + 42_000 });
  });
});
