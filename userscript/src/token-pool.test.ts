import { describe, expect, it } from 'vitest';
import type { AgentTimers } from './agent-environment.js';
import { mintRecaptchaToken } from './mint-recaptcha.js';
import { createNodeEnvironment } from './test-support/node-environment.js';
import { createTokenPool, type TokenPoolOptions } from './token-pool.js';

/** A clock that moves only when told, with the timers due on it. */
function manualTimers() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  const timers: AgentTimers = {
    setTimeout: (run, delayMs) => {
      next += 1;
      // "After this turn" runs on the real event loop, before the tests' settle() resolves.
      if (delayMs === 0) {
        setImmediate(run);
        return next;
      }
      due.set(next, { at: now + delayMs, run });
      return next;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    setInterval: () => 0,
    clearInterval: () => undefined,
    now: () => now,
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const [handle, timer] of [...due]) {
      if (timer.at > now) continue;
      due.delete(handle);
      timer.run();
    }
  };
  return { timers, advance };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(overrides: Partial<TokenPoolOptions> = {}) {
  const clock = manualTimers();
  const mints: string[] = [];
  let siteKey: string | null = 'key-1';
  let failing = false;
  const pool = createTokenPool({
    size: 2,
    maxAgeMs: 90_000,
    mint: async (action) => {
      if (failing) throw new Error('grecaptcha is not ready');
      mints.push(action);
      return `${action}-${mints.length}`;
    },
    siteKey: () => siteKey,
    timers: clock.timers,
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    ...overrides,
  });
  return {
    pool,
    mints,
    advance: clock.advance,
    setSiteKey: (key: string | null) => void (siteKey = key),
    setFailing: (value: boolean) => void (failing = value),
  };
}

describe('createTokenPool', () => {
  it('keeps `size` tokens per action ready, hands out the oldest once, and mints one again after each use', async () => {
    const { pool, mints } = setup();
    pool.warm('chat_submit');
    await settle();
    expect(pool.ready('chat_submit')).toBe(2);
    expect(pool.take('chat_submit')).toBe('chat_submit-1');
    expect(pool.take('chat_submit')).toBe('chat_submit-2');
    await settle();
    expect(mints).toHaveLength(4);
    const handedOut = [pool.take('chat_submit'), pool.take('chat_submit')];
    expect(handedOut).toEqual(['chat_submit-3', 'chat_submit-4']);
    expect(new Set([...handedOut, 'chat_submit-1', 'chat_submit-2']).size).toBe(4);
  });

  it('has nothing for an action it was never asked for, then learns it from that request', async () => {
    const { pool, mints } = setup();
    expect(pool.take('chat_retry')).toBeUndefined();
    await settle();
    expect(mints).toEqual(['chat_retry', 'chat_retry']);
    expect(pool.take('chat_retry')).toBe('chat_retry-1');
  });

  it('drops tokens before they expire and mints none for an idle page', async () => {
    const { pool, mints, advance } = setup();
    pool.warm('chat_submit');
    await settle();
    advance(89_999);
    expect(pool.ready('chat_submit')).toBe(2);
    advance(1);
    expect(pool.ready('chat_submit')).toBe(0);
    await settle();
    expect(mints).toHaveLength(2);
    expect(pool.take('chat_submit')).toBeUndefined();
  });

  it('never hands out a token minted under another site key', async () => {
    const { pool, setSiteKey } = setup();
    pool.warm('chat_submit');
    await settle();
    setSiteKey('key-2');
    expect(pool.take('chat_submit')).toBeUndefined();
    await settle();
    expect(pool.take('chat_submit')).toBe('chat_submit-3');
  });

  it('pauses minting ahead for a while after a failure', async () => {
    const { pool, mints, advance, setFailing } = setup();
    setFailing(true);
    pool.warm('chat_submit');
    await settle();
    setFailing(false);
    expect(pool.take('chat_submit')).toBeUndefined();
    await settle();
    expect(mints).toEqual([]);
    advance(10_000);
    expect(pool.take('chat_submit')).toBeUndefined();
    await settle();
    expect(mints).toHaveLength(2);
  });

  it('keeps nothing after close, not even a token that was being minted', async () => {
    let finish: (token: string) => void = () => undefined;
    const { pool } = setup({ mint: () => new Promise<string>((resolve) => (finish = resolve)), size: 1 });
    pool.warm('chat_submit');
    pool.close();
    finish('late');
    await settle();
    expect(pool.ready('chat_submit')).toBe(0);
    expect(pool.take('chat_submit')).toBeUndefined();
  });

  it('is off with size 0', async () => {
    const { pool, mints } = setup({ size: 0 });
    pool.warm('chat_submit');
    expect(pool.take('chat_submit')).toBeUndefined();
    await settle();
    expect(mints).toEqual([]);
  });
});

describe('mintRecaptchaToken with a pool', () => {
  it('uses a ready v3 token for the job\'s action and mints v2 tokens on the spot', async () => {
    const { environment } = createNodeEnvironment({ bridgeUrl: 'ws://127.0.0.1:1/ws/worker' });
    const { pool, mints } = setup();
    pool.warm('chat_submit');
    await settle();
    const context = { environment, timings: { recaptchaLoadTimeoutMs: 50, recaptchaV2TimeoutMs: 50 } as never, signal: new AbortController().signal, tokens: pool };
    await expect(mintRecaptchaToken({ action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token' }, context)).resolves.toBe('chat_submit-1');
    // No grecaptcha in this page: a v2 job must try the page (and fail), not the pool.
    await expect(mintRecaptchaToken({ action: 'chat_submit', version: 'v2', field: 'recaptchaV2Token', v2SiteKey: 'v2-key' }, context)).rejects.toMatchObject({ reason: 'recaptcha-unavailable' });
    await settle();
    // Two minted ahead, one more after the v3 job used one; the v2 job took none.
    expect(mints).toHaveLength(3);
  });
});
