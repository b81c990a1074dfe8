import { describe, expect, it } from 'vitest';
import { ArenaInputError, isArenaInputError } from './arena-input-error.js';
import { buildCreateEvaluation, buildPostToEvaluation } from './build-evaluation.js';
import { RECAPTCHA_V2_SITE_KEY } from './constants.js';
import type { CreateEvaluationInput } from './request-types.js';
import { isUuidV7 } from './uuidv7.js';

const MODEL_A = '019a9b1c-4e2f-7c3d-8a11-2b3c4d5e6f70';
const MODEL_B = '983bc566-b783-4d28-b24c-3c8b08eb1086';
const SESSION = '019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77';

function fixedIds(): NonNullable<CreateEvaluationInput['ids']> {
  return {
    sessionId: '019c0000-0000-7000-8000-000000000001',
    userMessageId: '019c0000-0000-7000-8000-000000000002',
    modelAMessageId: '019c0000-0000-7000-8000-000000000003',
    modelBMessageId: '019c0000-0000-7000-8000-000000000004',
  };
}

function thrown(action: () => unknown): ArenaInputError {
  try {
    action();
  } catch (error) {
    if (isArenaInputError(error)) return error;
    throw error;
  }
  throw new Error('expected an ArenaInputError');
}

describe('buildCreateEvaluation', () => {
  it('builds the compact userMessage body for direct mode', () => {
    const { request, ids } = buildCreateEvaluation({
      mode: 'direct',
      modelAId: MODEL_A,
      modality: 'chat',
      prompt: 'Hello',
      attachments: [{ name: 'key/photo.png', contentType: 'image/png', url: 'https://files.example.invalid/photo.png' }],
      ids: fixedIds(),
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/nextjs-api/stream/create-evaluation');
    expect(request.headers).toEqual({ 'Content-Type': 'text/plain;charset=UTF-8', Accept: '*/*' });
    expect(request.recaptcha).toEqual({ action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY });
    expect(request.body?.kind).toBe('json');
    expect(request.body?.value).toEqual({
      id: '019c0000-0000-7000-8000-000000000001',
      mode: 'direct',
      modelAId: MODEL_A,
      userMessageId: '019c0000-0000-7000-8000-000000000002',
      modelAMessageId: '019c0000-0000-7000-8000-000000000003',
      userMessage: {
        content: 'Hello',
        experimental_attachments: [{ name: 'key/photo.png', contentType: 'image/png', url: 'https://files.example.invalid/photo.png' }],
        metadata: {},
      },
      modality: 'chat',
    });
    expect(ids).toEqual({
      sessionId: '019c0000-0000-7000-8000-000000000001',
      userMessageId: '019c0000-0000-7000-8000-000000000002',
      modelAMessageId: '019c0000-0000-7000-8000-000000000003',
    });
    expect(JSON.stringify(request.body?.value)).not.toContain('recaptcha');
  });

  it('generates fresh distinct UUIDv7 ids per call, stamped by the clock', () => {
    const now = (): number => 1_760_000_000_000;
    const first = buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', now });
    const second = buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', now });
    const all = [...Object.values(first.ids), ...Object.values(second.ids)];
    expect(all).toHaveLength(8);
    expect(new Set(all).size).toBe(8);
    for (const id of all) {
      expect(isUuidV7(id)).toBe(true);
      expect(id.replaceAll('-', '').slice(0, 12)).toBe((1_760_000_000_000).toString(16).padStart(12, '0'));
    }
  });

  it('sends modelBMessageId but no model ids in battle mode', () => {
    const { request, ids } = buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'Hi', ids: fixedIds() });
    const body = request.body?.value as Record<string, unknown>;
    expect(body.mode).toBe('battle');
    expect(body).not.toHaveProperty('modelAId');
    expect(body).not.toHaveProperty('modelBId');
    expect(body.modelBMessageId).toBe(ids.modelBMessageId);
    expect(ids.modelBMessageId).toBe('019c0000-0000-7000-8000-000000000004');
  });

  it('sends both model ids and modelBMessageId in side-by-side mode', () => {
    const { request } = buildCreateEvaluation({ mode: 'side-by-side', modelAId: MODEL_A, modelBId: MODEL_B, modality: 'chat', prompt: 'Hi' });
    const body = request.body?.value as Record<string, unknown>;
    expect(body.modelAId).toBe(MODEL_A);
    expect(body.modelBId).toBe(MODEL_B);
    expect(typeof body.modelBMessageId).toBe('string');
  });

  it('keeps the direct-battle spelling and omits modelBMessageId unless asked', () => {
    const plain = buildCreateEvaluation({ mode: 'direct-battle', modelAId: MODEL_A, modality: 'image', prompt: 'a cat' });
    expect(plain.request.body?.value).toMatchObject({ mode: 'direct-battle', modality: 'image' });
    expect(plain.request.body?.value).not.toHaveProperty('modelBMessageId');
    expect(plain.ids).not.toHaveProperty('modelBMessageId');
    const always = buildCreateEvaluation({ mode: 'direct', modelAId: MODEL_A, modality: 'chat', prompt: 'x', alwaysSendModelBMessageId: true });
    expect(always.request.body?.value).toHaveProperty('modelBMessageId', always.ids.modelBMessageId);
    expect(always.request.body?.value).not.toHaveProperty('modelBId');
  });

  it('passes a v2 or sign_up token requirement through', () => {
    const { request } = buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', recaptcha: { action: 'sign_up', version: 'v2' } });
    expect(request.recaptcha).toEqual({ action: 'sign_up', version: 'v2', field: 'recaptchaV2Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY });
  });

  it.each([
    [{ mode: 'direct' }, 'modelAId'],
    [{ mode: 'direct-battle' }, 'modelAId'],
    [{ mode: 'direct', modelAId: MODEL_A, modelBId: MODEL_B }, 'modelBId'],
    [{ mode: 'side-by-side', modelAId: MODEL_A }, 'modelBId'],
    [{ mode: 'side-by-side', modelBId: MODEL_B }, 'modelAId'],
    [{ mode: 'battle', modelAId: MODEL_A }, 'modelAId'],
    [{ mode: 'battle', modelBId: MODEL_B }, 'modelBId'],
    [{ mode: 'agent' }, 'mode'],
  ] as const)('rejects %j naming %s', (fields, field) => {
    const error = thrown(() => buildCreateEvaluation({ modality: 'chat', prompt: 'x', ...(fields as Pick<CreateEvaluationInput, 'mode'>) }));
    expect(error).toBeInstanceOf(ArenaInputError);
    expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('rejects supplied ids that are not UUIDs or repeat each other', () => {
    expect(thrown(() => buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', ids: { sessionId: 'abc' } })).field).toBe('sessionId');
    const same = '019c0000-0000-7000-8000-000000000009';
    expect(thrown(() => buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', ids: { userMessageId: same, modelAMessageId: same } })).field).toBe('modelAMessageId');
  });

  it('refuses history with the userMessage variant', () => {
    const error = thrown(() => buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'x', history: [{ role: 'user', content: 'earlier' }] }));
    expect(error.field).toBe('history');
  });

  it('builds the messages variant with history chained and one pending assistant per side', () => {
    const { request, ids } = buildCreateEvaluation({
      mode: 'side-by-side',
      modelAId: MODEL_A,
      modelBId: MODEL_B,
      modality: 'chat',
      prompt: 'And Spain?',
      variant: 'messages',
      history: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
        { role: 'assistant', content: 'Paris.', modelId: MODEL_A },
      ],
      ids: fixedIds(),
    });
    const body = request.body?.value as { messages: Record<string, unknown>[] } & Record<string, unknown>;
    expect(body).not.toHaveProperty('userMessage');
    const messages = body.messages;
    expect(messages.map((message) => [message.role, message.status, message.participantPosition])).toEqual([
      ['system', 'success', 'a'],
      ['user', 'success', 'a'],
      ['assistant', 'success', 'a'],
      ['user', 'pending', 'a'],
      ['assistant', 'pending', 'a'],
      ['assistant', 'pending', 'b'],
    ]);
    const [system, user, assistant, current, replyA, replyB] = messages as [
      Record<string, unknown>, Record<string, unknown>, Record<string, unknown>,
      Record<string, unknown>, Record<string, unknown>, Record<string, unknown>,
    ];
    expect(system.parentMessageIds).toEqual([]);
    expect(user.parentMessageIds).toEqual([system.id]);
    expect(assistant.parentMessageIds).toEqual([user.id]);
    expect(assistant).toMatchObject({ modelId: MODEL_A, reasoning: '', content: 'Paris.' });
    expect(current).toMatchObject({ id: ids.userMessageId, content: 'And Spain?', modelId: null, parentMessageIds: [assistant.id] });
    expect(replyA).toMatchObject({ id: ids.modelAMessageId, content: '', modelId: MODEL_A, parentMessageIds: [ids.userMessageId], reasoning: '' });
    expect(replyB).toMatchObject({ id: ids.modelBMessageId, modelId: MODEL_B, parentMessageIds: [ids.userMessageId] });
    for (const message of messages) {
      expect(message.evaluationSessionId).toBe(ids.sessionId);
      expect(message.failureReason).toBeNull();
      expect(message.experimental_attachments).toEqual([]);
    }
    expect(new Set(messages.map((message) => message.id)).size).toBe(6);
  });

  it('builds the messages variant for battle with null model ids and no history', () => {
    const { request } = buildCreateEvaluation({ mode: 'battle', modality: 'chat', prompt: 'Hi', variant: 'messages' });
    const messages = (request.body?.value as { messages: Record<string, unknown>[] }).messages;
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatchObject({ role: 'user', parentMessageIds: [] });
    expect(messages.slice(1).map((message) => [message.participantPosition, message.modelId])).toEqual([['a', null], ['b', null]]);
  });

  it('builds the messages variant for direct with a single assistant even when modelBMessageId is sent', () => {
    const { request } = buildCreateEvaluation({ mode: 'direct', modelAId: MODEL_A, modality: 'chat', prompt: 'Hi', variant: 'messages', alwaysSendModelBMessageId: true });
    const messages = (request.body?.value as { messages: unknown[] }).messages;
    expect(messages).toHaveLength(2);
  });
});

describe('buildPostToEvaluation', () => {
  it('posts to the session path with the session as id, no mode (§15.1) and fresh message ids', () => {
    const { request, ids } = buildPostToEvaluation({ sessionId: SESSION, mode: 'direct', modelAId: MODEL_A, modality: 'search', prompt: 'More?' });
    expect(request.url).toBe(`/nextjs-api/stream/post-to-evaluation/${SESSION}`);
    expect(request.method).toBe('POST');
    expect(ids.sessionId).toBe(SESSION);
    expect(request.body?.value).toMatchObject({ id: SESSION, modelAId: MODEL_A, modality: 'search', userMessage: { content: 'More?' } });
    expect(request.body?.value).not.toHaveProperty('mode');
    expect(ids.userMessageId).not.toBe(SESSION);
    expect(request.recaptcha).toEqual({ action: 'chat_submit', version: 'v3', field: 'recaptchaV3Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY });
  });

  it('uses input.sessionId even when ids.sessionId differs, and validates it', () => {
    const { ids } = buildPostToEvaluation({ sessionId: SESSION, mode: 'battle', modality: 'chat', prompt: 'x', ids: { sessionId: '019c0000-0000-7000-8000-00000000000a' } });
    expect(ids.sessionId).toBe(SESSION);
    expect(thrown(() => buildPostToEvaluation({ sessionId: 'nope', mode: 'battle', modality: 'chat', prompt: 'x' })).field).toBe('sessionId');
  });

  it('supports the messages variant with the whole chain', () => {
    const { request, ids } = buildPostToEvaluation({
      sessionId: SESSION,
      mode: 'battle',
      modality: 'chat',
      prompt: 'Second',
      variant: 'messages',
      history: [{ role: 'user', content: 'First' }, { role: 'assistant', content: 'Reply' }],
    });
    const messages = (request.body?.value as { messages: Record<string, unknown>[] }).messages;
    expect(messages).toHaveLength(5);
    expect(messages[1]).toMatchObject({ role: 'assistant', modelId: null, status: 'success' });
    expect(messages.every((message) => message.evaluationSessionId === SESSION)).toBe(true);
    expect(ids.modelBMessageId).toBeDefined();
  });
});
