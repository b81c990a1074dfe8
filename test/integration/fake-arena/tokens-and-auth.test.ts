import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CREATE, createBody, randomUUID, send, setCookies } from './helpers.js';

let fake: FakeArena;
let clock = Date.now();
beforeAll(async () => {
  fake = await startFakeArena({ now: () => clock, tokenLifetimeMs: 1000 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  clock = Date.now();
});

const createWith = async (cookie: string, tokens: Record<string, unknown>): Promise<Response> => {
  const response = await send(fake, CREATE, { ...createBody(fake, 'x'), recaptchaV3Token: undefined, ...tokens }, cookie);
  await response.text();
  return response;
};

describe('reCAPTCHA tokens', () => {
  it('require a token that exists, is fresh, unused, of the right action and site key', async () => {
    const signedIn = fake.createIdentity({ email: 'a@example.com' }).cookie;
    const failed = async (tokens: Record<string, unknown>): Promise<number> => (await createWith(signedIn, tokens)).status;
    expect(await failed({})).toBe(403);
    expect(await failed({ recaptchaV3Token: 'made-up' })).toBe(403);
    const token = fake.mintToken({ action: 'chat_submit' });
    expect(await failed({ recaptchaV3Token: token })).toBe(200);
    expect(await failed({ recaptchaV3Token: token })).toBe(403);
    const stale = fake.mintToken({ action: 'chat_submit' });
    clock += 1001;
    expect(await failed({ recaptchaV3Token: stale })).toBe(403);
    expect(await failed({ recaptchaV3Token: fake.mintToken({ action: 'chat_retry' }) })).toBe(403);
    expect(await failed({ recaptchaV3Token: fake.mintToken({ action: 'sign_up' }) })).toBe(403);
    expect(await failed({ recaptchaV3Token: fake.mintToken({ siteKey: 'other-key' }) })).toBe(403);
    expect(await failed({ recaptchaV3Token: fake.mintToken({ version: 'v2' }) })).toBe(403);
    expect(await failed({ recaptchaV2Token: fake.mintToken({ version: 'v2' }) })).toBe(200);
    const body = await (await send(fake, CREATE, createBody(fake, 'x', { recaptchaV3Token: 'nope' }), signedIn)).json();
    expect(body).toEqual({ error: 'recaptcha validation failed' });
  });

  it('accept sign_up tokens from anonymous identities', async () => {
    expect((await createWith(fake.createIdentity().cookie, { recaptchaV3Token: fake.mintToken({ action: 'sign_up' }) })).status).toBe(200);
  });

  it('are minted over HTTP for the page grecaptcha, only for the fake site keys', async () => {
    const mint = (body: unknown): Promise<Response> => fetch(`${fake.url}/recaptcha/mint`, { method: 'POST', body: JSON.stringify(body) });
    const ok = (await (await mint({ siteKey: fake.options.siteKeyV3, action: 'chat_submit', version: 'v3' })).json()) as { token: string };
    expect((await createWith(fake.createIdentity().cookie, { recaptchaV3Token: ok.token })).status).toBe(200);
    expect((await mint({ siteKey: 'wrong', action: 'chat_submit', version: 'v3' })).status).toBe(400);
    expect((await mint({ siteKey: fake.options.siteKeyV2, version: 'v2' })).status).toBe(200);
  });
});

describe('sign-up, refresh, login', () => {
  const signUp = (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fake.url}/nextjs-api/sign-up`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, body: JSON.stringify(body) });

  it('binds a new anonymous user to the provisional id once', async () => {
    const provisionalUserId = randomUUID();
    const body = (): Record<string, unknown> => ({ turnstileToken: 'ts', recaptchaToken: fake.mintToken({ action: 'sign_up' }), provisionalUserId });
    const first = await signUp(body());
    expect(first.status).toBe(200);
    const cookie = (setCookies(first).get('arena-auth-prod-v1') ?? '').split(';')[0] ?? '';
    expect((await createWith(cookie, { recaptchaV3Token: fake.mintToken() })).status).toBe(200);
    const again = await signUp(body());
    expect([again.status, await again.json()]).toEqual([400, { error: 'User already exists' }]);
    expect((await signUp({ ...body(), recaptchaToken: fake.mintToken({ action: 'chat_submit' }) })).status).toBe(403);
    const conflict = await signUp({ ...body(), provisionalUserId: randomUUID() }, { 'x-fake-arena-inject': 'sign-up-conflict' });
    expect(conflict.status).toBe(400);
  });

  it('refreshes a session with the anon key from the site chunk (single-use refresh token)', async () => {
    const stateResponse = await fetch(`${fake.url}/__fake/state`);
    const { evaluationChunk } = (await stateResponse.json()) as { evaluationChunk: string };
    const js = await (await fetch(`${fake.url}/_next/${evaluationChunk}`)).text();
    const anonKey = /i="(eyJ[^"]+)"/.exec(js)?.[1] ?? '';
    const identity = fake.createIdentity({ expired: true });
    const refresh = (key: string): Promise<Response> => fetch(`${fake.url}/auth/v1/token?grant_type=refresh_token`, {
      method: 'POST', headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: identity.refreshToken }),
    });
    expect((await refresh('wrong')).status).toBe(401);
    const response = await refresh(anonKey);
    expect(response.status).toBe(200);
    const session = (await response.json()) as { access_token: string; user: { id: string } };
    expect(session.user.id).toBe(identity.userId);
    const cookie = `arena-auth-prod-v1=base64-${Buffer.from(JSON.stringify(session)).toString('base64')}`;
    expect((await createWith(cookie, { recaptchaV3Token: fake.mintToken({ action: 'sign_up' }) })).status).toBe(200);
    expect((await refresh(anonKey)).status).toBe(400);
  });

  it('reads auth cookies split into numbered chunks', async () => {
    const { cookieValue } = fake.createIdentity();
    const middle = Math.floor(cookieValue.length / 2);
    const cookie = `arena-auth-prod-v1.1=${cookieValue.slice(middle)}; arena-auth-prod-v1.0=${cookieValue.slice(0, middle)}`;
    expect((await createWith(cookie, { recaptchaV3Token: fake.mintToken() })).status).toBe(200);
  });
});
