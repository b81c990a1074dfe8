import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeArena } from '../../../src/fake-arena/index.js';
import { CREATE, POST_TO, RETRY, createBody, createConversation, parseRecords, postBody, send, textOf, useSharedFake, uuidv7, waitForFinished } from './helpers.js';

const shared = useSharedFake();
const { model } = shared;
let fake: FakeArena;
let cookie: string;
beforeEach(() => ({ fake, cookie } = shared));

describe('create-evaluation and post-to-evaluation', () => {
  it('streams a direct reply with the §2.4 headers and exact records, no [DONE]', async () => {
    const response = await send(fake, CREATE, createBody(fake, 'héllo there'), cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-matched-path')).toBe('/nextjs-api/stream/create-evaluation');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('ratelimit')).toBe('limit=1800;w=300');
    expect(response.headers.get('ratelimit-policy')).toBe('1800;w=300');
    const text = await response.text();
    expect(text).not.toContain('[DONE]');
    expect(text.endsWith('\n')).toBe(true);
    const records = parseRecords(text);
    expect(records.filter((entry) => entry.code === '0').length).toBeGreaterThan(5);
    expect(textOf(records)).toMatch(/^Echo #1: héllo there \(history: 0 messages\) héllo — 你好 🙂/);
    const finish = records.at(-1);
    expect(finish?.code).toBe('d');
    expect(finish?.value).toMatchObject({ finishReason: 'stop', usage: { promptTokens: 2 } });
  });

  it('decreases ratelimit remaining per identity', async () => {
    const remaining = async (jar: string): Promise<number> => {
      const response = await send(fake, CREATE, createBody(fake, 'x'), jar);
      await response.text();
      return Number(response.headers.get('ratelimit-remaining'));
    };
    const first = await remaining(cookie);
    expect(await remaining(cookie)).toBe(first - 1);
    expect(await remaining(fake.createIdentity().cookie)).toBe(first);
  });

  it('continues a session: the turn count and history grow', async () => {
    const { sessionId } = await createConversation(fake, 'first', cookie);
    const second = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'second'), cookie);
    expect(second.headers.get('x-matched-path')).toBe('/nextjs-api/stream/post-to-evaluation/[id]');
    expect(textOf(parseRecords(await second.text()))).toMatch(/^Echo #2: second \(history: 2 messages\)/);
    const third = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'third'), cookie);
    expect(textOf(parseRecords(await third.text()))).toMatch(/^Echo #3: third \(history: 4 messages\)/);
    expect(fake.sessions.get(sessionId)?.messages).toHaveLength(6);
  });

  it('accepts the B-messages variant, with earlier turns as history, sent as application/json', async () => {
    const [u1, a1, u2, a2] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const body = createBody(fake, '', {
      userMessage: undefined, userMessageId: u2, modelAMessageId: a2,
      messages: [
        { id: u1, role: 'user', content: 'earlier question', parentMessageIds: [], status: 'success' },
        { id: a1, role: 'assistant', content: 'earlier answer', parentMessageIds: [u1], status: 'success' },
        { id: u2, role: 'user', content: 'now', parentMessageIds: [a1], status: 'pending' },
        { id: a2, role: 'assistant', content: '', parentMessageIds: [u2], status: 'pending', participantPosition: 'a' },
      ],
    });
    const response = await send(fake, CREATE, body, cookie, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(textOf(parseRecords(await response.text()))).toMatch(/^Echo #2: now \(history: 2 messages\)/);
  });

  it('rejects a messages body whose user entry does not match userMessageId', async () => {
    const body = createBody(fake, '', { userMessage: undefined, messages: [{ id: uuidv7(), role: 'user', content: 'x' }] });
    expect((await send(fake, CREATE, body, cookie)).status).toBe(400);
  });

  it('rejects reused ids, non-UUID ids, and v4 ids when UUIDv7 is required', async () => {
    const body = createBody(fake, 'once');
    expect((await send(fake, CREATE, body, cookie)).status).toBe(200);
    const again = await send(fake, CREATE, { ...body, recaptchaV3Token: fake.mintToken() }, cookie);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'Duplicate evaluation session or message id' });
    expect((await send(fake, CREATE, createBody(fake, 'x', { userMessageId: 'not-a-uuid' }), cookie)).status).toBe(400);
    expect((await send(fake, CREATE, createBody(fake, 'x', { id: crypto.randomUUID() }), cookie)).status).toBe(200);
    fake.setOptions({ requireUuidV7: true });
    expect((await send(fake, CREATE, createBody(fake, 'x', { id: crypto.randomUUID() }), cookie)).status).toBe(400);
    expect((await send(fake, CREATE, createBody(fake, 'x', { id: uuidv7(Date.now() - 3 * 86_400_000) }), cookie)).status).toBe(400);
    expect((await send(fake, CREATE, createBody(fake, 'x'), cookie)).status).toBe(200);
  });

  it('checks mode, model and modality combinations', async () => {
    const status = async (overrides: Record<string, unknown>): Promise<number> => (await send(fake, CREATE, createBody(fake, 'x', overrides), cookie)).status;
    expect(await status({ modelAId: uuidv7() })).toBe(400);
    expect(await status({ modelBId: model('fake-echo-pro') })).toBe(400);
    expect(await status({ mode: 'agent' })).toBe(400);
    expect(await status({ mode: 'direct' })).toBe(400);
    expect(await status({ mode: 'direct-battle' })).toBe(200);
    expect(await status({ modelAId: model('fake-image'), modality: 'chat' })).toBe(400);
    expect(await status({ modelAId: model('fake-image'), modality: 'image' })).toBe(200);
    expect(await status({ modality: 'text' })).toBe(400);
    expect(await status({ mode: 'battle', modelAId: undefined })).toBe(400);
    expect(await status({ mode: 'side-by-side', modelBId: model('fake-echo-pro') })).toBe(400);
    fake.setOptions({ directModeValues: ['direct-battle'] });
    expect(await status({ mode: 'direct' })).toBe(400);
    expect(await status({ mode: 'direct-battle' })).toBe(200);
  });

  it('streams battle and side-by-side interleaved, side A ending unknown on the magic word', async () => {
    const battle = await send(fake, CREATE, createBody(fake, 'duel [[fake:side-a-unknown]]', { mode: 'battle', modelAId: undefined, modelBMessageId: uuidv7() }), cookie);
    const records = parseRecords(await battle.text());
    expect(records.slice(0, 4).map((entry) => `${entry.side}${entry.code}`)).toEqual(['a0', 'b0', 'a0', 'b0']);
    expect(records.slice(-2).map((entry) => [entry.side, (entry.value as { finishReason: string }).finishReason])).toEqual([['a', 'unknown'], ['b', 'stop']]);
    expect(textOf(records, 'b')).toMatch(/^Echo #1: duel/);
    const sideBySide = await send(fake, CREATE, createBody(fake, 'pair', { mode: 'side-by-side', modelBId: model('fake-echo-pro'), modelBMessageId: uuidv7() }), cookie);
    const pair = parseRecords(await sideBySide.text());
    expect(pair.filter((entry) => entry.code === 'd').map((entry) => entry.side)).toEqual(['a', 'b']);
    expect(pair.find((entry) => entry.side === 'b' && entry.code === 'd')?.value).toEqual({ finishReason: 'stop' });
  });

  it('answers 401 without, with an invalid, and with an expired auth cookie', async () => {
    const body = (): Record<string, unknown> => createBody(fake, 'x');
    const none = await send(fake, CREATE, body(), '');
    expect([none.status, await none.json()]).toEqual([401, { error: 'Unauthorized' }]);
    const invalid = await send(fake, CREATE, body(), 'arena-auth-prod-v1=base64-bm9wZQ');
    expect(invalid.status).toBe(401);
    const expired = await send(fake, CREATE, body(), fake.createIdentity({ expired: true }).cookie);
    expect([expired.status, await expired.json()]).toEqual([401, { error: 'Session expired' }]);
  });

  it('gates direct mode for anonymous users when requireLoginForDirect', async () => {
    fake.setOptions({ requireLoginForDirect: true });
    const gated = await send(fake, CREATE, createBody(fake, 'x'), cookie);
    expect([gated.status, await gated.json()]).toEqual([401, { error: 'This model requires sign in', code: 'LOGIN_GATE' }]);
    const signedIn = fake.createIdentity({ email: 'dev@example.com' }).cookie;
    expect((await send(fake, CREATE, createBody(fake, 'x'), signedIn)).status).toBe(200);
  });

  it('refuses other owners and unknown sessions', async () => {
    const { sessionId } = await createConversation(fake, 'mine', cookie);
    const stranger = fake.createIdentity();
    const denied = await send(fake, POST_TO(sessionId), postBody(fake, sessionId, 'x'), stranger.cookie);
    expect([denied.status, await denied.json()]).toEqual([401, { error: `User ${stranger.userId} does not have access to evaluation session ${sessionId}` }]);
    const unknown = uuidv7();
    const missing = await send(fake, POST_TO(unknown), postBody(fake, unknown, 'x'), cookie);
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'Evaluation session not found' }]);
  });

  it('answers 405 to GET on stream endpoints and 403 on the legacy prefix unless allowed', async () => {
    expect((await fetch(`${fake.url}${CREATE}`)).status).toBe(405);
    const legacy = await send(fake, '/api/stream/create-evaluation', createBody(fake, 'x'), cookie);
    expect([legacy.status, await legacy.json()]).toEqual([403, { error: 'Route not allowed' }]);
    fake.setOptions({ legacyRoutes: 'allow' });
    const allowed = await send(fake, '/api/stream/create-evaluation', createBody(fake, 'x'), cookie);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-matched-path')).toBe('/api/stream/create-evaluation');
  });
});

describe('models', () => {
  const ask = async (name: string, prompt: string, overrides: Record<string, unknown> = {}) => {
    const response = await send(fake, CREATE, createBody(fake, prompt, { modelAId: model(name), ...overrides }), cookie);
    expect(response.status).toBe(200);
    return parseRecords(await response.text());
  };

  it('reasoning model sends ag records before the text', async () => {
    const records = await ask('fake-reasoner', 'why');
    const codes = records.map((entry) => entry.code);
    expect(codes.indexOf('g')).toBeGreaterThan(-1);
    expect(codes.lastIndexOf('g')).toBeLessThan(codes.indexOf('0'));
  });

  it('image model sends heartbeats, an image item pointing at a served PNG, then ad', async () => {
    const records = await ask('fake-image', 'a cat', { modality: 'image' });
    expect(records.map((entry) => `${entry.code}`)).toEqual(['2', '2', '2', 'd']);
    const [image] = records[2]?.value as { type: string; image: string; mimeType: string }[];
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const png = await fetch(image?.image ?? '');
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });

  it('search model sends a citation; video model a video item; usage only where the model has it', async () => {
    const search = await ask('fake-search', 'find it');
    const citation = search.find((entry) => entry.code === 'c')?.value as { toolCallId: string; argsTextDelta: string };
    expect(citation.toolCallId).toBe('citation-source');
    expect(JSON.parse(citation.argsTextDelta)).toMatchObject({ source: { url: expect.stringMatching(/^https:/) } });
    expect(search.at(-1)?.value).toEqual({ finishReason: 'stop' });
    const video = await ask('fake-video', 'a clip', { modality: 'video' });
    expect(video.find((entry) => entry.code === '2' && JSON.stringify(entry.value).includes('video'))?.value).toMatchObject([{ type: 'video', mimeType: 'video/mp4' }]);
  });

  it('vision model names the attachments it received', async () => {
    const attachment = { name: 'photo.png', contentType: 'image/png', url: 'data:image/png;base64,AAAA' };
    const records = await ask('fake-vision', 'look', { userMessage: { content: 'look', experimental_attachments: [attachment] } });
    expect(textOf(records)).toContain('[attachments: photo.png (image/png, inline)]');
  });
});

describe('retry', () => {
  it('Gen A: answers the supplied history on the side of the last message, without storing it', async () => {
    const created = fake.createSession();
    const messages = [
      { role: 'system', content: 'be brief', participantPosition: 'b' },
      { role: 'user', content: 'one', participantPosition: 'a' },
      { role: 'assistant', content: 'reply', participantPosition: 'a' },
      { role: 'user', content: 'two', participantPosition: 'a', status: 'pending' },
    ];
    const response = await send(fake, RETRY(created.sessionId, created.assistantMessageId), { messages, modelId: model('fake-echo-pro') }, created.cookie, { method: 'PUT' });
    expect(response.status).toBe(200);
    expect(textOf(parseRecords(await response.text()))).toMatch(/^Echo #2 \(regenerated\): two \(history: 3 messages\)/);
    const onB = await send(fake, RETRY(created.sessionId, created.assistantMessageId), { messages: messages.map((entry) => ({ ...entry, participantPosition: 'b' })), modelId: null }, created.cookie, { method: 'PUT' });
    expect(parseRecords(await onB.text()).every((entry) => entry.side === 'b')).toBe(true);
    expect(fake.sessions.get(created.sessionId)?.messages).toHaveLength(2);
  });

  it('regenerates the last reply with {} and with a chat_retry token; unknown message is 404', async () => {
    const { sessionId, body } = await createConversation(fake, 'again', cookie);
    const messageId = String(body.modelAMessageId);
    const empty = await send(fake, RETRY(sessionId, messageId), {}, cookie, { method: 'PUT' });
    expect(textOf(parseRecords(await empty.text()))).toMatch(/^Echo #1 \(regenerated\): again \(history: 0 messages\)/);
    const withToken = await send(fake, RETRY(sessionId, messageId), { recaptchaV3Token: fake.mintToken({ action: 'chat_retry' }) }, cookie, { method: 'PUT' });
    expect(withToken.status).toBe(200);
    await withToken.text();
    const wrongAction = await send(fake, RETRY(sessionId, messageId), { recaptchaV3Token: fake.mintToken({ action: 'chat_submit' }) }, cookie, { method: 'PUT' });
    expect(wrongAction.status).toBe(403);
    const unknown = await send(fake, RETRY(sessionId, uuidv7()), {}, cookie, { method: 'PUT' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'Message not found' }]);
    expect((await send(fake, RETRY(sessionId, messageId), {}, fake.createIdentity().cookie, { method: 'PUT' })).status).toBe(401);
  });
});

describe('wire pacing and cancellation', () => {
  it('keeps records and UTF-8 intact when records are split across chunks', async () => {
    fake.setOptions({ pacing: { splitRecords: true, recordsPerChunk: 3, chunkDelayMs: 1 } });
    const response = await send(fake, CREATE, createBody(fake, '你好 🙂 ok'), cookie);
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { value, done } = (await reader?.read()) ?? { done: true, value: undefined };
      if (done) break;
      chunks.push(value);
    }
    expect(chunks.length).toBeGreaterThan(2);
    const decoded = new TextDecoder().decode(Buffer.concat(chunks));
    expect(textOf(parseRecords(decoded))).toMatch(/^Echo #1: 你好 🙂 ok/);
  });

  it('stops writing and records aborted when the client aborts the response', async () => {
    fake.setOptions({ pacing: { chunkDelayMs: 20 }, replyWords: 200 });
    const controller = new AbortController();
    const response = await fetch(`${fake.url}${CREATE}`, { method: 'POST', headers: { cookie }, body: JSON.stringify(createBody(fake, 'long')), signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    const entry = await waitForFinished(fake, CREATE);
    expect(entry).toMatchObject({ status: 200, aborted: true, method: 'POST' });
    expect(entry.finishedAt).not.toBeNull();
    fake.setOptions({ pacing: { chunkDelayMs: 0 }, replyWords: 8 });
    const complete = await send(fake, CREATE, createBody(fake, 'short'), cookie);
    await complete.text();
    expect((await waitForFinished(fake, CREATE)).aborted).toBe(false);
  });
});
