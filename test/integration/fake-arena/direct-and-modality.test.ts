import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CREATE, POST_TO, createBody, parseRecords, postBody, send, textOf, useSharedFake, uuidv7 } from './helpers.js';

const shared = useSharedFake();
const { model } = shared;
let fake: FakeArena;
let cookie: string;
beforeEach(() => ({ fake, cookie } = shared));
const DIRECT_REFUSED = { error: "'direct' mode is not allowed when starting a new conversation" };

/** Status and JSON body (undefined for streams) of one create-evaluation. */
async function create(overrides: Record<string, unknown>, prompt = 'x'): Promise<[number, unknown]> {
  const response = await send(fake, CREATE, createBody(fake, prompt, overrides), cookie);
  const text = await response.text();
  return [response.status, response.status === 200 ? undefined : JSON.parse(text)];
}

describe('single-model mode (§15.1)', () => {
  it('refuses mode "direct" on create-evaluation by default, with the live site\'s text', async () => {
    expect(fake.options.directOnCreate).toBe('refuse');
    expect(await create({ mode: 'direct' })).toEqual([400, DIRECT_REFUSED]);
    expect(fake.requests.at(-1)?.status).toBe(400);
    expect(fake.sessions.size).toBe(0);
  });

  it('accepts mode "direct" again with directOnCreate: allow (in-process and through the admin API)', async () => {
    fake.setOptions({ directOnCreate: 'allow' });
    expect(await create({ mode: 'direct' })).toEqual([200, undefined]);
    fake.reset();
    cookie = fake.createIdentity().cookie;
    expect(await create({ mode: 'direct' })).toEqual([400, DIRECT_REFUSED]);
    const admin = await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ directOnCreate: 'allow' }) });
    expect(admin.status).toBe(200);
    expect(await create({ mode: 'direct' })).toEqual([200, undefined]);
    const invalid = await fetch(`${fake.url}/__fake/options`, { method: 'POST', body: JSON.stringify({ directOnCreate: 'sometimes' }) });
    expect(invalid.status).toBe(400);
  });

  it('direct-battle with modelAId creates a single-model chat', async () => {
    const body = createBody(fake, 'one model', { mode: 'direct-battle', modelAId: model('fake-echo-pro') });
    const response = await send(fake, CREATE, body, cookie);
    const records = parseRecords(await response.text());
    expect(records.every((entry) => entry.side === 'a')).toBe(true);
    expect(textOf(records)).toMatch(/^Echo #1: one model/);
    expect(fake.sessions.get(String(body.id))).toMatchObject({ mode: 'direct-battle', modelAId: model('fake-echo-pro'), modelBId: null });
  });

  it('takes follow-ups without mode (the session keeps its own), and with one', async () => {
    const body = createBody(fake, 'first');
    await (await send(fake, CREATE, body, cookie)).text();
    const sessionId = String(body.id);
    const followUp = postBody(fake, sessionId, 'second');
    expect(followUp).not.toHaveProperty('mode');
    const second = await send(fake, POST_TO(sessionId), followUp, cookie);
    expect(second.status).toBe(200);
    expect(textOf(parseRecords(await second.text()))).toMatch(/^Echo #2: second \(history: 2 messages\)/);
    const third = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'third', { mode: 'direct-battle', modelAId: model('fake-echo') }), cookie);
    expect(textOf(parseRecords(await third.text()))).toMatch(/^Echo #3: third/);
  });

  it('keeps directModeValues: a value left out is an invalid mode', async () => {
    fake.setOptions({ directModeValues: ['direct-battle'], directOnCreate: 'allow' });
    expect(await create({ mode: 'direct' })).toEqual([400, { error: 'Invalid mode: direct' }]);
    fake.setOptions({ directModeValues: ['direct'] });
    expect(await create({ mode: 'direct-battle' })).toEqual([400, { error: 'Invalid mode: direct-battle' }]);
    expect(await create({ mode: 'direct' })).toEqual([200, undefined]);
  });

  it('gates direct-battle for anonymous users with requireLoginForDirect, on create and follow-up', async () => {
    const body = createBody(fake, 'before the gate');
    await (await send(fake, CREATE, body, cookie)).text();
    fake.setOptions({ requireLoginForDirect: true });
    expect(await create({})).toEqual([401, { error: 'This model requires sign in', code: 'LOGIN_GATE' }]);
    const followUp = await send(fake, POST_TO(String(body.id)), postBody(fake, String(body.id), 'again'), cookie);
    expect(followUp.status).toBe(401);
    expect(await create({ mode: 'battle', modelAId: undefined, modelBMessageId: uuidv7() })).toEqual([200, undefined]);
  });
});

describe('modality enum (§15.2)', () => {
  it('accepts auto, chat, webdev, p2l for text models and each media modality for its model', async () => {
    for (const modality of ['auto', 'chat', 'webdev', 'p2l']) expect([modality, ...await create({ modality })]).toEqual([modality, 200, undefined]);
    expect(await create({ modality: 'search', modelAId: model('fake-search') })).toEqual([200, undefined]);
    expect(await create({ modality: 'image', modelAId: model('fake-image') })).toEqual([200, undefined]);
    expect(await create({ modality: 'video', modelAId: model('fake-video') })).toEqual([200, undefined]);
    expect(await create({ modality: 'auto', mode: 'battle', modelAId: undefined, modelBMessageId: uuidv7() })).toEqual([200, undefined]);
  });

  it('answers 400 "Invalid modality: text" and refuses values outside the enum, also on follow-ups', async () => {
    expect(await create({ modality: 'text' })).toEqual([400, { error: 'Invalid modality: text' }]);
    expect(await create({ modality: 'agent' })).toEqual([400, { error: 'Invalid modality: agent' }]);
    const body = createBody(fake, 'x');
    await (await send(fake, CREATE, body, cookie)).text();
    const followUp = await send(fake, POST_TO(String(body.id)), postBody(fake, String(body.id), 'y', { modality: 'text' }), cookie);
    expect([followUp.status, await followUp.json()]).toEqual([400, { error: 'Invalid modality: text' }]);
  });

  it('fits audio only to models that declare audio output', async () => {
    expect(await create({ modality: 'audio' })).toEqual([400, { error: 'Invalid modality audio for model fake-echo' }]);
    fake.setModels([
      ...fake.options.models,
      {
        id: '019c9f33-c4d5-7e6f-8a71-8293a4b5c6d7', publicName: 'fake-voice', organization: 'acme',
        capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true, audio: true } },
      },
    ]);
    expect(await create({ modality: 'audio', modelAId: model('fake-voice') })).toEqual([200, undefined]);
  });
});

describe('rate-limit headers (§15.5)', () => {
  it('sends ratelimit: limit=N;w=S with the configured budget, and what is left separately', async () => {
    fake.setOptions({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const first = await send(fake, CREATE, createBody(fake, 'a'), cookie);
    await first.text();
    expect(Object.fromEntries(['ratelimit', 'ratelimit-policy', 'ratelimit-remaining', 'ratelimit-reset'].map((name) => [name, first.headers.get(name)])))
      .toEqual({ ratelimit: 'limit=2;w=60', 'ratelimit-policy': '2;w=60', 'ratelimit-remaining': '1', 'ratelimit-reset': '60' });
    await (await send(fake, CREATE, createBody(fake, 'b'), cookie)).text();
    const spent = await send(fake, CREATE, createBody(fake, 'c'), cookie);
    expect([spent.status, spent.headers.get('ratelimit'), spent.headers.get('ratelimit-remaining')]).toEqual([429, 'limit=2;w=60', '0']);
    expect(Number(spent.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
