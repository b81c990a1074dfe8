import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CREATE, POST_TO, RETRY, createBody, postBody, send } from './helpers.js';

const START = Date.parse('2026-09-17T12:00:00Z');
let clock = START;
let fake: FakeArena;
const at = (seconds: number): void => {
  clock = START + seconds * 1000;
};
const RECAPTCHA_FAILED = { error: 'recaptcha validation failed' };
const MODAL = '<div id="security-verification" role="dialog" aria-modal="true" aria-labelledby="security-verification-title"><h2 id="security-verification-title">Security Verification</h2><p>';

beforeAll(async () => {
  fake = await startFakeArena({ now: () => clock });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  at(0);
});

/** One create-evaluation: status, retry-after and JSON body (undefined for a stream). */
async function ask(cookie: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await send(fake, CREATE, createBody(fake, 'hello', overrides), cookie, { headers });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: response.status === 200 ? undefined : JSON.parse(text) };
}
const held = (): number => fake.requests.filter((entry) => entry.accountFlag === 'held').length;

describe('tripping (§15.4)', () => {
  it('flags an account whose requests reach tripAfter within withinSeconds; other accounts are unaffected', async () => {
    fake.setOptions({ accountFlag: { tripAfter: 3, withinSeconds: 60, holdSeconds: 1200 } });
    const a = fake.createIdentity({ email: 'a@example.com' });
    const b = fake.createIdentity({ email: 'b@example.com' });
    const spaced = fake.createIdentity();
    for (const [second, identity] of [[0, spaced], [61, spaced], [122, spaced]] as const) {
      at(second);
      expect((await ask(identity.cookie)).status).toBe(200);
    }
    at(200);
    expect((await ask(a.cookie)).status).toBe(200);
    at(220);
    expect((await ask(b.cookie)).status).toBe(200);
    expect((await ask(a.cookie)).status).toBe(200);
    at(240);
    expect(await ask(a.cookie)).toEqual({ status: 403, retryAfter: '1200', body: RECAPTCHA_FAILED });
    expect(fake.requests.at(-1)).toMatchObject({ status: 403, accountFlag: 'tripped', identity: a.userId });
    expect((await ask(b.cookie)).status).toBe(200);
    expect((await ask(spaced.cookie)).status).toBe(200);
    expect(fake.accountFlags()).toEqual([{ userId: a.userId, until: START + 1440_000, refusedDuringFlag: 0 }]);
  });

  it('refuses every stream request of the account whatever the token, spends the token, and extends the hold', async () => {
    fake.setOptions({ accountFlag: { tripAfter: 2, withinSeconds: 30, holdSeconds: 1200, extendSeconds: 600 } });
    const owner = fake.createIdentity({ email: 'owner@example.com' });
    const first = createBody(fake, 'first');
    expect((await send(fake, CREATE, first, owner.cookie)).status).toBe(200);
    at(2);
    expect((await ask(owner.cookie)).retryAfter).toBe('1200');
    at(102);
    const token = fake.mintToken();
    expect(await ask(owner.cookie, { recaptchaV3Token: token })).toEqual({ status: 403, retryAfter: '1100', body: RECAPTCHA_FAILED });
    at(1000);
    const sessionId = String(first.id);
    const followUp = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'again'), owner.cookie);
    expect([followUp.status, followUp.headers.get('retry-after')]).toEqual([403, '600']);
    at(1300);
    const retry = await send(fake, RETRY(sessionId, String(first.modelAMessageId)), { recaptchaV3Token: fake.mintToken({ action: 'chat_retry' }) }, owner.cookie, { method: 'PUT' });
    expect([retry.status, retry.headers.get('retry-after')]).toEqual([403, '600']);
    const v2 = await ask(owner.cookie, { recaptchaV3Token: undefined, recaptchaV2Token: fake.mintToken({ version: 'v2' }) });
    expect(v2.status).toBe(403);
    expect(held()).toBe(4);
    expect(fake.accountFlags()).toEqual([{ userId: owner.userId, until: START + 1900_000, refusedDuringFlag: 4 }]);
    at(1901);
    expect(fake.accountFlags()).toEqual([]);
    expect(await ask(owner.cookie, { recaptchaV3Token: token })).toEqual({ status: 403, retryAfter: null, body: RECAPTCHA_FAILED });
    expect(fake.requests.at(-1)?.accountFlag).toBeNull();
    at(1940);
    expect((await ask(owner.cookie)).status).toBe(200);
  });

  it('answers 429 "prompt failed" with status: 429', async () => {
    fake.setOptions({ accountFlag: { tripAfter: 1, withinSeconds: 10, holdSeconds: 90, status: 429 } });
    const cookie = fake.createIdentity().cookie;
    expect(await ask(cookie)).toEqual({ status: 429, retryAfter: '90', body: { error: 'prompt failed' } });
    at(30);
    expect(await ask(cookie)).toEqual({ status: 429, retryAfter: '90', body: { error: 'prompt failed' } });
  });

  it('is off by default and can be switched off again', async () => {
    const cookie = fake.createIdentity().cookie;
    for (let index = 0; index < 5; index += 1) expect((await ask(cookie)).status).toBe(200);
    fake.setOptions({ accountFlag: { tripAfter: 1, withinSeconds: 10, holdSeconds: 90 } });
    fake.setOptions({ accountFlag: false });
    expect((await ask(cookie)).status).toBe(200);
  });
});

describe('the account-flag injection', () => {
  it.each(['header', 'magic', 'admin'] as const)('via %s flags the caller on the spot for 1200 s, or the option\'s hold', async (how) => {
    const cookie = fake.createIdentity().cookie;
    if (how === 'admin') expect((await fetch(`${fake.url}/__fake/inject`, { method: 'POST', body: JSON.stringify({ name: 'account-flag' }) })).status).toBe(200);
    const prompt = how === 'magic' ? 'hello [[fake:account-flag-once]]' : 'hello';
    const headers: Record<string, string> = how === 'header' ? { 'x-fake-arena-inject': 'account-flag' } : {};
    const response = await send(fake, CREATE, createBody(fake, prompt), cookie, { headers });
    expect([response.status, response.headers.get('retry-after'), await response.json()]).toEqual([403, '1200', RECAPTCHA_FAILED]);
    expect(fake.requests.at(-1)).toMatchObject({ injections: ['account-flag'], accountFlag: 'tripped' });
    at(60);
    expect(await ask(cookie)).toEqual({ status: 403, retryAfter: '1200', body: RECAPTCHA_FAILED });
    expect(held()).toBe(1);
    expect((await ask(fake.createIdentity().cookie)).status).toBe(200);
  });

  it('takes its hold and status from the accountFlag option', async () => {
    fake.setOptions({ accountFlag: { tripAfter: 100, withinSeconds: 10, holdSeconds: 30, status: 429 } });
    const cookie = fake.createIdentity().cookie;
    expect(await ask(cookie, {}, { 'x-fake-arena-inject': 'account-flag' })).toEqual({ status: 429, retryAfter: '30', body: { error: 'prompt failed' } });
  });
});

describe('in-process API, admin endpoints and the page', () => {
  it('flags, lists and clears accounts in-process; reset clears them', async () => {
    const user = fake.createIdentity();
    expect(fake.flagAccount(user.userId, 60)).toEqual({ userId: user.userId, until: START + 60_000, refusedDuringFlag: 0 });
    expect((await ask(user.cookie)).retryAfter).toBe('60');
    expect(fake.state().accountFlags).toEqual([{ userId: user.userId, until: START + 60_000, refusedDuringFlag: 1 }]);
    expect(fake.clearAccountFlag(user.userId)).toBe(true);
    expect(fake.clearAccountFlag(user.userId)).toBe(false);
    expect((await ask(user.cookie)).status).toBe(200);
    expect(fake.flagAccount(user.userId).until).toBe(START + 1200_000);
    fake.reset();
    expect(fake.accountFlags()).toEqual([]);
  });

  it('offers GET/POST /__fake/account-flags, DELETE /__fake/account-flags/<userId>, flags in /__fake/state, and the option', async () => {
    const user = fake.createIdentity();
    const url = `${fake.url}/__fake/account-flags`;
    const flagged = await fetch(url, { method: 'POST', body: JSON.stringify({ userId: user.userId, seconds: 300 }) });
    expect(await flagged.json()).toEqual({ userId: user.userId, until: START + 300_000, refusedDuringFlag: 0 });
    expect((await fetch(url, { method: 'POST', body: JSON.stringify({ seconds: 5 }) })).status).toBe(400);
    expect(await (await fetch(url)).json()).toEqual([{ userId: user.userId, until: START + 300_000, refusedDuringFlag: 0 }]);
    expect(((await (await fetch(`${fake.url}/__fake/state`)).json()) as { accountFlags: unknown }).accountFlags).toHaveLength(1);
    expect(await (await fetch(`${url}/${user.userId}`, { method: 'DELETE' })).json()).toEqual({ cleared: true });
    expect(await (await fetch(url)).json()).toEqual([]);
    const options = { accountFlag: { tripAfter: 2, withinSeconds: 20, holdSeconds: 600, status: 429 } };
    expect((await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify(options) })).status).toBe(200);
    expect(fake.options.accountFlag).toEqual(options.accountFlag);
    expect((await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ accountFlag: { tripAfter: 2 } }) })).status).toBe(400);
    expect((await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ accountFlag: false }) })).status).toBe(200);
    expect(fake.options.accountFlag).toBeUndefined();
  });

  it('shows a flagged visitor the Security Verification modal on every site page, and a valid v2 token clears the flag', async () => {
    const user = fake.createIdentity();
    const created = fake.createSession({ owner: user.userId });
    const page = async (path: string): Promise<string> => (await fetch(`${fake.url}${path}`, { headers: { cookie: user.cookie } })).text();
    expect(await page('/text/direct')).not.toContain('security-verification');
    fake.flagAccount(user.userId);
    for (const path of ['/', '/chat', '/text/direct', `/c/${created.sessionId}`]) {
      const html = await page(path);
      expect(html).toContain(MODAL);
      expect(html).toContain('</p><div id="security-verification-widget"></div></div>');
    }
    expect(await (await fetch(`${fake.url}/text/direct`, { headers: { cookie: fake.createIdentity().cookie } })).text()).not.toContain(MODAL);
    const verify = (token: string, cookie = user.cookie): Promise<Response> => fetch(`${fake.url}/nextjs-api/security-verification`, {
      method: 'POST', headers: { cookie, 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ recaptchaV2Token: token }),
    });
    expect((await verify(fake.mintToken({ version: 'v2' }), '')).status).toBe(401);
    const v3 = await verify(fake.mintToken());
    expect([v3.status, await v3.json()]).toEqual([403, RECAPTCHA_FAILED]);
    expect(fake.accountFlags()).toHaveLength(1);
    const passed = await verify(fake.mintToken({ version: 'v2' }));
    expect([passed.status, await passed.json()]).toEqual([200, { success: true, cleared: true }]);
    expect(fake.accountFlags()).toEqual([]);
    expect(await page('/text/direct')).not.toContain(MODAL);
    expect((await ask(user.cookie)).status).toBe(200);
  });
});
