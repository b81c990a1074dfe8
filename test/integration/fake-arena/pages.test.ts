import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { flightPushes, setCookies } from './helpers.js';

let fake: FakeArena;
beforeAll(async () => {
  fake = await startFakeArena();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${fake.url}${path}`, { headers, redirect: 'manual' });

/** The JSON value after `"key":` in the joined flight text (raw-decoded, as Glossarion does). */
function flightValue(html: string, key: string): unknown {
  const text = flightPushes(html).join('');
  const row = text.split('\n').find((line) => line.includes(`"${key}":`));
  if (row === undefined) return undefined;
  const json = JSON.parse(row.slice(row.indexOf(':') + 1)) as unknown[];
  return (json[3] as Record<string, unknown>)[key];
}

describe('pages', () => {
  it('first visit sets provisional_user_id and an anonymous Supabase-like auth cookie', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    const cookies = setCookies(response);
    expect(cookies.get('provisional_user_id')).toMatch(/^provisional_user_id=[0-9a-f-]{36}; Path=\//);
    expect(cookies.get('provisional_user_id')).not.toMatch(/HttpOnly/i);
    const value = /^arena-auth-prod-v1=base64-([^;]+)/.exec(cookies.get('arena-auth-prod-v1') ?? '')?.[1] ?? '';
    const session = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: 3600, user: { is_anonymous: true } });
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect((session.user as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('anonymous / and /chat do not embed models; /text/direct does, split across two pushes', async () => {
    const home = await (await get('/')).text();
    expect(home).toMatch(/<title>[^<]*Arena[^<]*<\/title>/);
    expect(flightValue(home, 'initialModels')).toBe('$undefined');
    expect(flightValue(await (await get('/chat')).text(), 'initialModels')).toBe('$undefined');
    const direct = await (await get('/text/direct')).text();
    const models = flightValue(direct, 'initialModels') as { id: string; publicName: string }[];
    expect(models.map((model) => model.publicName)).toContain('fake-echo');
    expect(flightValue(direct, 'initialModelAId')).toBe(models[0]?.id);
    expect(direct).toContain('{\\"initialModels\\":[');
    const pushes = flightPushes(direct);
    expect(pushes.some((push) => push.includes('"initialModels"') && push.includes('"initialModelBId"'))).toBe(false);
    const stealth = models.find((model) => model.publicName === 'kiteki') as Record<string, unknown>;
    expect(stealth.organization).toBeUndefined();
  });

  it('has an Evaluation import row whose chunk holds the 42-hex server action ids', async () => {
    const html = await (await get('/text/direct')).text();
    const text = flightPushes(html).join('');
    const row = /^\d+:I\[\d+,(\[.*?\]),"Evaluation"\]$/m.exec(text);
    const chunks = (JSON.parse(row?.[1] ?? '[]') as string[]).filter((entry) => entry.startsWith('static/chunks/'));
    expect(chunks).toHaveLength(1);
    const js = await (await get(`/_next/${chunks[0]}`)).text();
    for (const name of ['generateUploadUrl', 'getSignedUrl', 'deleteEvaluationSession', 'updateTouConsent']) {
      const match = new RegExp(`createServerReference\\)\\("([0-9a-f]+)",r\\.callServer,void 0,r\\.findSourceMapURL,"${name}"\\)`).exec(js);
      expect(match?.[1]).toMatch(/^[0-9a-f]{42}$/);
      expect(match?.[1]).toBe(fake.actionIds[name as keyof typeof fake.actionIds]);
    }
    expect(html).toContain(`<script src="/recaptcha/enterprise.js?render=${fake.options.siteKeyV3}"`);
    const script = await get(`/recaptcha/enterprise.js?render=${fake.options.siteKeyV3}`);
    expect(await script.text()).toContain('grecaptcha.enterprise = api');
  });

  it('redirects /?mode=direct and lmarena.* hosts with 301', async () => {
    const direct = await get('/?mode=direct');
    expect([direct.status, direct.headers.get('location')]).toEqual([301, '/text/direct']);
    const { request } = await import('node:http');
    const status = await new Promise<[number | undefined, string | undefined]>((resolve, reject) => {
      request(`${fake.url}/c/abc?x=1`, { headers: { host: 'lmarena.ai' } }, (response) => {
        response.resume();
        resolve([response.statusCode, response.headers.location]);
      }).on('error', reject).end();
    });
    expect(status).toEqual([301, `${fake.url}/c/abc?x=1`]);
  });

  it('shows the signed-in user with email and models on /; refreshes an expired cookie', async () => {
    const login = await fetch(`${fake.url}/login`, { method: 'POST', body: new URLSearchParams({ email: 'dev@example.com', password: 'pw' }), redirect: 'manual' });
    expect([login.status, login.headers.get('location')]).toEqual([303, '/']);
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const html = await (await get('/', { cookie })).text();
    expect(flightValue(html, 'user')).toMatchObject({ email: 'dev@example.com', touConsentTimestamp: expect.any(String) });
    expect(Array.isArray(flightValue(html, 'initialModels'))).toBe(true);
    expect(await (await get('/login')).text()).toContain('<form method="POST" action="/login">');
    const expired = fake.createIdentity({ expired: true });
    const refreshed = await get('/', { cookie: expired.cookie });
    const fresh = setCookies(refreshed).get('arena-auth-prod-v1');
    expect(fresh).toBeDefined();
    expect(setCookies(refreshed).has('provisional_user_id')).toBe(false);
    expect(flightValue(await refreshed.text(), 'user')).toMatchObject({ id: expired.userId, email: null });
  });

  it('serves /c/<id> with the session and a Retry button script to its owner only', async () => {
    const created = fake.createSession({ turns: [{ user: 'hi', assistant: 'there' }] });
    const html = await (await get(`/c/${created.sessionId}`, { cookie: created.cookie })).text();
    expect(html).toContain('retry-button');
    expect(html).toContain(created.assistantMessageId);
    expect(Array.isArray(flightValue(html, 'initialModels'))).toBe(true);
    expect((await get(`/c/${created.sessionId}`, { cookie: fake.createIdentity().cookie })).status).toBe(404);
  });

  it('serves the model catalog and forbids /api/*', async () => {
    const catalog = (await (await get('/nextjs-api/model-catalog')).json()) as { arena: string; complete: boolean; models: { id: string }[] }[];
    const echo = fake.options.models[0]?.id;
    expect(catalog.filter((group) => group.models.some((model) => model.id === echo)).length).toBeGreaterThan(1);
    expect(catalog.map((group) => group.arena)).toEqual(expect.arrayContaining(['text', 'search', 'text-to-image', 'text-to-video']));
    const legacy = await get('/api/model-catalog');
    expect([legacy.status, await legacy.json()]).toEqual([403, { error: 'Route not allowed' }]);
  });

  it('challenges pages until a cf_clearance from the challenge page is presented', async () => {
    fake.setOptions({ challengeOnStart: true });
    const challenged = await get('/text/direct');
    expect(challenged.status).toBe(403);
    const html = await challenged.text();
    expect(html).toContain('<title>Just a moment...</title>');
    expect(html).toContain('Enable JavaScript and cookies to continue');
    expect(html).toContain('window._cf_chl_opt');
    const clearance = /cf_clearance=([^;"]+)/.exec(html)?.[1] ?? '';
    expect((await get('/text/direct', { cookie: 'cf_clearance=made-up' })).status).toBe(403);
    expect((await get('/text/direct', { cookie: `cf_clearance=${clearance}` })).status).toBe(200);
    fake.setOptions({ challengeOnStart: false });
    expect((await get('/text/direct')).status).toBe(200);
  });
});
