import { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArena } from '../../../src/fake-arena/index.js';
import type { FakeArena, InjectionName } from '../../../src/fake-arena/index.js';
import { CREATE, createBody, createConversation, POST_TO, postBody, send, textOf, parseRecords } from './helpers.js';

let fake: FakeArena;
let cookie: string;
beforeAll(async () => {
  fake = await startFakeArena({ slowGapMs: 30 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setOptions({ slowGapMs: 30 });
  cookie = fake.createIdentity().cookie;
});

type Switch = 'magic' | 'header' | 'admin';

/** Sends a create-evaluation with the injection switched on one of the three ways. */
async function createWith(name: string, how: Switch, prompt = 'hello'): Promise<Response> {
  if (how === 'admin') {
    const response = await fetch(`${fake.url}/__fake/inject`, { method: 'POST', body: JSON.stringify({ name, count: 1 }) });
    expect(response.status).toBe(200);
  }
  const text = how === 'magic' ? `${prompt} [[fake:${name}]]` : prompt;
  return send(fake, CREATE, createBody(fake, text), cookie, { headers: how === 'header' ? { 'x-fake-arena-inject': name } : {} });
}

/** Reads a body to the end, also when the socket is destroyed mid-stream. */
async function readAll(response: Response): Promise<{ text: string; failed: boolean }> {
  const chunks: Uint8Array[] = [];
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const result = await reader?.read();
      if (result === undefined || result.done) break;
      chunks.push(result.value);
    }
    return { text: Buffer.concat(chunks).toString('utf8'), failed: false };
  } catch {
    return { text: Buffer.concat(chunks).toString('utf8'), failed: true };
  }
}

const statusCases: [InjectionName, Switch, number, unknown][] = [
  ['rate-limit', 'admin', 429, { error: 'Too many requests' }],
  ['recaptcha-reject', 'header', 403, { error: 'recaptcha validation failed' }],
  ['recaptcha-require-v2', 'magic', 403, { error: 'recaptcha validation failed' }],
  ['login-gate', 'header', 401, { error: 'This model requires sign in', code: 'LOGIN_GATE' }],
  ['no-auth', 'admin', 401, { error: 'Unauthorized' }],
  ['moderation', 'magic', 422, undefined],
  ['too-large', 'header', 413, { error: 'Request body too large' }],
  ['duplicate-ids', 'admin', 400, { error: 'Duplicate evaluation session or message id' }],
  ['legacy-prefix', 'magic', 403, { error: 'Route not allowed' }],
  ['server-error-500', 'header', 500, { error: 'Internal Server Error' }],
  ['server-error-502', 'admin', 502, undefined],
  ['server-error-504', 'magic', 504, undefined],
  ['wrong-owner', 'admin', 401, undefined],
];

describe('status injections', () => {
  it.each(statusCases)('%s via %s answers %d', async (name, how, status, body) => {
    const response = await createWith(name, how);
    expect(response.status).toBe(status);
    const text = await response.text();
    if (body !== undefined) expect(JSON.parse(text)).toEqual(body);
    expect(fake.requests.at(-1)?.injections).toContain(name);
    expect(fake.requests.at(-1)?.status).toBe(status);
  });

  it('rate-limit carries Retry-After and remaining=0', async () => {
    const response = await createWith('rate-limit', 'header');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('ratelimit')).toBe('limit=1800;w=300');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('a spent budget answers 429 without any injection', async () => {
    fake.setOptions({ rateLimit: { limit: 1, windowSeconds: 60 } });
    expect((await createWith('none', 'header')).status).toBe(200);
    expect((await createWith('none', 'header')).status).toBe(429);
  });

  it('moderation names the session; wrong-owner names the caller', async () => {
    const body = createBody(fake, 'x');
    const moderated = await send(fake, CREATE, body, cookie, { headers: { 'x-fake-arena-inject': 'moderation' } });
    expect(await moderated.json()).toEqual({ error: `Request rejected: Content violates our terms of use for evaluation session id: ${String(body.id)}` });
    const { sessionId } = await createConversation(fake, 'mine', cookie);
    const denied = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'x [[fake:wrong-owner]]'), cookie);
    expect(((await denied.json()) as { error: string }).error).toMatch(/^User [0-9a-f-]{36} does not have access to evaluation session /);
  });

  it('recaptcha-reject-once rejects the first attempt of a prompt only; require-v2 accepts a v2 token', async () => {
    const prompt = 'ask [[fake:recaptcha-reject-once]]';
    expect((await send(fake, CREATE, createBody(fake, prompt), cookie)).status).toBe(403);
    expect((await send(fake, CREATE, createBody(fake, prompt), cookie)).status).toBe(200);
    const v2 = createBody(fake, 'v2 [[fake:recaptcha-require-v2]]', { recaptchaV3Token: undefined, recaptchaV2Token: fake.mintToken({ version: 'v2' }) });
    expect((await send(fake, CREATE, v2, cookie)).status).toBe(200);
    fake.inject({ name: 'recaptcha-reject-once' });
    expect((await send(fake, CREATE, createBody(fake, 'a'), cookie)).status).toBe(403);
    expect((await send(fake, CREATE, createBody(fake, 'b'), cookie)).status).toBe(200);
  });

  it('expired-auth answers 401 until the cookie is refreshed by GET /', async () => {
    expect((await createWith('expired-auth', 'magic')).status).toBe(401);
    const again = await send(fake, CREATE, createBody(fake, 'plain'), cookie);
    expect([again.status, await again.json()]).toEqual([401, { error: 'Session expired' }]);
    const page = await fetch(`${fake.url}/`, { headers: { cookie } });
    cookie = (page.headers.getSetCookie().find((header) => header.startsWith('arena-auth-prod-v1=')) ?? '').split(';')[0] ?? '';
    expect((await send(fake, CREATE, createBody(fake, 'plain'), cookie)).status).toBe(200);
  });

  it('admin injections honour count and path prefix', async () => {
    fake.inject({ name: 'server-error-500', count: 2, path: '/nextjs-api/stream/post-to-evaluation/' });
    const { sessionId } = await createConversation(fake, 'unaffected', cookie);
    expect((await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'a'), cookie)).status).toBe(500);
    expect((await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'b'), cookie)).status).toBe(500);
    expect((await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'c'), cookie)).status).toBe(200);
  });
});

describe('in-band injections', () => {
  it('model-unavailable: a0 "hasArenaError" then close', async () => {
    expect(await (await createWith('model-unavailable', 'magic')).text()).toBe('a0:"hasArenaError"\n');
  });

  it('model-overloaded and provider-error send a3 records', async () => {
    expect(await (await createWith('model-overloaded', 'header')).text()).toBe('a3:"model overloaded"\n');
    expect(await (await createWith('provider-error', 'admin')).text()).toBe('a3:"Resource exhausted. Please try again later."\nad:{"finishReason":"error"}\n');
  });

  it('content-filter: partial text then finishReason content-filter', async () => {
    const records = parseRecords(await (await createWith('content-filter', 'header')).text());
    expect(textOf(records).length).toBeGreaterThan(0);
    expect(records.at(-1)?.value).toEqual({ finishReason: 'content-filter' });
  });

  it('truncated variants end without a finish record, mid-record and mid-UTF-8', async () => {
    const plain = parseRecords(await (await createWith('truncated', 'magic')).text());
    expect(plain.some((entry) => entry.code === 'd')).toBe(false);
    const midRecord = await (await createWith('truncated-mid-record', 'admin')).text();
    expect(midRecord.endsWith('\n')).toBe(false);
    expect(midRecord).not.toMatch(/\nad:/);
    const response = await createWith('truncated-mid-utf8', 'header');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.at(-1)).toBeGreaterThanOrEqual(0xc0);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
  });

  it('empty-stream: 200 with no records', async () => {
    const response = await createWith('empty-stream', 'admin');
    expect([response.status, await response.text()]).toEqual([200, '']);
  });

  it('slow: heartbeats with gaps before the reply', async () => {
    const started = Date.now();
    const records = parseRecords(await (await createWith('slow', 'magic')).text());
    expect(Date.now() - started).toBeGreaterThanOrEqual(85);
    expect(records.slice(0, 3).map((entry) => entry.value)).toEqual([[{ type: 'heartbeat' }], [{ type: 'heartbeat' }], [{ type: 'heartbeat' }]]);
    expect(records.at(-1)?.code).toBe('d');
  });

  it('drop: destroys the socket mid-stream', async () => {
    const { text, failed } = await readAll(await createWith('drop', 'header'));
    expect(failed).toBe(true);
    expect(text).toMatch(/^a0:/);
    expect(text).not.toMatch(/\nad:/);
  });

  it('domain-move: 301 to the canonical origin, same path', async () => {
    const response = await createWith('domain-move', 'admin');
    expect([response.status, response.headers.get('location')]).toEqual([301, `${fake.url}${CREATE}`]);
  });

  it('challenge: Cloudflare 403 page on stream endpoints; on pages until clearance', async () => {
    const stream = await createWith('challenge', 'magic');
    expect(stream.status).toBe(403);
    expect(stream.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await stream.text()).toContain('<title>Just a moment...</title>');
    expect((await send(fake, CREATE, createBody(fake, 'fine'), cookie)).status).toBe(200);
    const page = await fetch(`${fake.url}/text/direct`, { headers: { 'x-fake-arena-inject': 'challenge' } });
    const clearance = /cf_clearance=([^;"]+)/.exec(await page.text())?.[1] ?? '';
    expect((await fetch(`${fake.url}/text/direct`)).status).toBe(403);
    expect((await fetch(`${fake.url}/text/direct`, { headers: { cookie: `cf_clearance=${clearance}` } })).status).toBe(200);
  });

  it('upload failures: generateUploadUrl success:false and PUT 403', async () => {
    fake.inject([{ name: 'upload-url-fail' }, { name: 'upload-put-forbidden' }]);
    const call = async (): Promise<string> => (await fetch(`${fake.url}/`, {
      method: 'POST', headers: { 'next-action': fake.actionIds.generateUploadUrl }, body: JSON.stringify(['a.png', 'image/png']),
    })).text();
    expect(await call()).toMatch(/\n1:\{"success":false,/);
    const uploadUrl = (JSON.parse((await call()).split('\n')[1]?.slice(2) ?? '{}') as { data: { uploadUrl: string } }).data.uploadUrl;
    const forbidden = await fetch(uploadUrl, { method: 'PUT', body: 'x' });
    expect(forbidden.status).toBe(403);
    expect((await fetch(uploadUrl, { method: 'PUT', body: 'x' })).status).toBe(200);
  });
});

describe('admin API', () => {
  it('reports state and requests, swaps models, rotates ids, sets options and resets', async () => {
    await (await createWith('none', 'header')).text();
    const requests = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as { path: string; status: number }[];
    expect(requests.map((entry) => [entry.path, entry.status])).toEqual([[CREATE, 200]]);
    const models = [{ id: '019c0000-0000-7000-8000-000000000001', publicName: 'only-model', organization: 'acme', capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true } } }];
    expect((await fetch(`${fake.url}/__fake/models`, { method: 'PUT', body: JSON.stringify(models) })).status).toBe(200);
    const catalog = (await (await fetch(`${fake.url}/nextjs-api/model-catalog`)).json()) as { models: { publicName: string }[] }[];
    expect(catalog.flatMap((group) => group.models.map((model) => model.publicName))).toEqual(['only-model']);
    const before = fake.actionIds.getSignedUrl;
    const rotated = (await (await fetch(`${fake.url}/__fake/rotate-actions`, { method: 'POST' })).json()) as { actionIds: { getSignedUrl: string } };
    expect(rotated.actionIds.getSignedUrl).not.toBe(before);
    expect((await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ replyWords: 0 }) })).status).toBe(200);
    expect(fake.options.replyWords).toBe(0);
    expect((await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ replyWords: 'many' }) })).status).toBe(400);
    expect((await fetch(`${fake.url}/__fake/inject`, { method: 'POST', body: JSON.stringify({ name: 'no-such-failure' }) })).status).toBe(400);
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { requests: number; models: unknown[] };
    expect(state).toMatchObject({ requests: 1, models: [{ publicName: 'only-model' }] });
    expect((await fetch(`${fake.url}/__fake/reset`, { method: 'POST' })).status).toBe(200);
    expect(fake.requests).toHaveLength(0);
    expect(fake.options.models.length).toBeGreaterThan(1);
    expect(fake.actionIds.getSignedUrl).toBe(before);
  });

  it('mints tokens and creates identities and sessions over HTTP', async () => {
    const token = (await (await fetch(`${fake.url}/__fake/mint-token`, { method: 'POST', body: '{}' })).json()) as { token: string };
    const identity = (await (await fetch(`${fake.url}/__fake/identities`, { method: 'POST', body: '{}' })).json()) as { cookie: string };
    expect((await send(fake, CREATE, createBody(fake, 'x', { recaptchaV3Token: token.token }), identity.cookie)).status).toBe(200);
    const session = (await (await fetch(`${fake.url}/__fake/sessions`, { method: 'POST', body: '{}' })).json()) as { sessionId: string };
    expect(fake.sessions.has(session.sessionId)).toBe(true);
  });

  it('refuses callers that are not on loopback', async () => {
    const address = Object.values((await import('node:os')).networkInterfaces()).flat()
      .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
    if (address === undefined) return;
    const exposed = await startFakeArena({ host: '0.0.0.0' });
    try {
      const viaLan = await fetch(`http://${address}:${exposed.port}/__fake/state`);
      expect(viaLan.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${exposed.port}/__fake/state`)).status).toBe(200);
    } finally {
      await exposed.close();
    }
  });

  it('close() ends open streams', async () => {
    const other = await startFakeArena({ pacing: { chunkDelayMs: 50 }, replyWords: 100 });
    const otherCookie = other.createIdentity().cookie;
    const response = await send(other, CREATE, createBody(other, 'x'), otherCookie);
    const reading = readAll(response);
    await other.close();
    expect((await reading).failed).toBe(true);
    await expect(new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.once('error', reject);
      socket.connect(other.port, '127.0.0.1', () => resolve(socket.destroy()));
    })).rejects.toThrow();
  });
});
