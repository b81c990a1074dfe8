import { describe, expect, it } from 'vitest';
import { isArenaInputError } from './arena-input-error.js';
import { buildGenARetry, buildRetry } from './build-retry.js';
import { RECAPTCHA_V2_SITE_KEY } from './constants.js';
import type { ArenaTurn, GenARetryInput } from './request-types.js';
import { isUuidV7 } from './uuidv7.js';

const SESSION = '019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77';
const MESSAGE = '983bc566-b783-4d28-b24c-3c8b08eb1086';
const NOW = Date.UTC(2025, 6, 20, 8, 30, 0);
const TURNS: ArenaTurn[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: '', attachments: [{ name: 'image_1.png', contentType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' }] },
];

type Message = Record<string, unknown>;
const messagesOf = (input: Partial<GenARetryInput> = {}): Message[] => {
  const { request } = buildGenARetry({ sessionId: SESSION, messageId: MESSAGE, turns: TURNS, modelId: 'model-1', mode: 'direct_chat', now: () => NOW, ...input });
  return (request.body?.value as { messages: Message[] }).messages;
};

describe('buildRetry', () => {
  it('PUTs an empty body to the retry path with a chat_retry token', () => {
    const { request, ids } = buildRetry({ sessionId: SESSION, messageId: MESSAGE });
    expect(request).toEqual({
      method: 'PUT',
      url: `/nextjs-api/stream/retry-evaluation-session-message/${SESSION}/messages/${MESSAGE}`,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Accept: '*/*' },
      body: { kind: 'json', value: {} },
      recaptcha: { action: 'chat_retry', version: 'v3', field: 'recaptchaV3Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY },
    });
    expect(ids).toEqual({ sessionId: SESSION, modelAMessageId: MESSAGE });
  });

  it('takes another token requirement and rejects non-UUID ids', () => {
    expect(buildRetry({ sessionId: SESSION, messageId: MESSAGE, recaptcha: { action: 'chat_retry', version: 'v2' } }).request.recaptcha).toEqual({ action: 'chat_retry', version: 'v2', field: 'recaptchaV2Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY });
    expect(() => buildRetry({ sessionId: SESSION, messageId: 'x' })).toThrow(/messageId/);
  });
});

describe('buildGenARetry', () => {
  it('replays the conversation on the captured ids without a token', () => {
    const { request, ids } = buildGenARetry({ sessionId: SESSION, messageId: MESSAGE, turns: TURNS, modelId: 'model-1', mode: 'direct_chat', now: () => NOW });
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`/nextjs-api/stream/retry-evaluation-session-message/${SESSION}/messages/${MESSAGE}`);
    expect(request.recaptcha).toBeUndefined();
    expect(request.headers['Content-Type']).toBe('text/plain;charset=UTF-8');
    expect(request.body?.kind).toBe('json');
    const body = request.body?.value as { messages: Message[]; modelId: unknown };
    expect(body.modelId).toBe('model-1');
    expect(ids.sessionId).toBe(SESSION);
    expect(ids.modelAMessageId).toBe(MESSAGE);
    expect(ids.userMessageId).toBe(body.messages.at(-1)?.id);
  });

  it('writes every §4.2 field with a linear parent chain and fresh ids', () => {
    const messages = messagesOf();
    expect(messages).toHaveLength(4);
    const first = messages[0] as Message;
    expect(Object.keys(first).sort()).toEqual([
      'content', 'createdAt', 'evaluationId', 'evaluationSessionId', 'experimental_attachments', 'failureReason',
      'id', 'metadata', 'parentMessageIds', 'participantPosition', 'role', 'status', 'updatedAt',
    ]);
    expect(first).toMatchObject({ evaluationId: null, evaluationSessionId: SESSION, failureReason: null, metadata: null, parentMessageIds: [] });
    expect(first.createdAt).toBe(new Date(NOW).toISOString());
    expect(first.updatedAt).toBe(first.createdAt);
    messages.slice(1).forEach((message, index) => expect(message.parentMessageIds).toEqual([messages[index]?.id]));
    expect(messages.every((message) => isUuidV7(String(message.id)))).toBe(true);
    expect(new Set(messages.map((message) => message.id)).size).toBe(4);
    expect(messagesOf()[0]?.id).not.toBe(first.id);
  });

  it('marks all but the last message success, and all success for image requests', () => {
    expect(messagesOf().map((message) => message.status)).toEqual(['success', 'success', 'success', 'pending']);
    expect(messagesOf({ imageRequest: true }).map((message) => message.status)).toEqual(['success', 'success', 'success', 'success']);
  });

  it('sends an empty user message as a single space and keeps attachments', () => {
    const last = messagesOf().at(-1) as Message;
    expect(last.content).toBe(' ');
    expect(last.experimental_attachments).toEqual([{ name: 'image_1.png', contentType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' }]);
  });

  it('applies the participantPosition rules of direct_chat and battle targets', () => {
    expect(messagesOf({ mode: 'direct_chat' }).map((message) => message.participantPosition)).toEqual(['b', 'a', 'a', 'a']);
    expect(messagesOf({ mode: 'battle' }).map((message) => message.participantPosition)).toEqual(['a', 'a', 'a', 'a']);
    expect(messagesOf({ mode: 'battle', battleTarget: 'A' }).map((message) => message.participantPosition)).toEqual(['a', 'a', 'a', 'a']);
    expect(messagesOf({ mode: 'battle', battleTarget: 'B' }).map((message) => message.participantPosition)).toEqual(['b', 'b', 'b', 'b']);
  });

  it('uses the legacy prefix, a null model, and an explicit token when asked', () => {
    const { request } = buildGenARetry({
      sessionId: SESSION, messageId: MESSAGE, turns: TURNS, modelId: null, mode: 'battle', legacyPrefix: true, recaptcha: { action: 'chat_retry', version: 'v3' },
    });
    expect(request.url).toBe(`/api/stream/retry-evaluation-session-message/${SESSION}/messages/${MESSAGE}`);
    expect((request.body?.value as { modelId: unknown }).modelId).toBeNull();
    expect(request.recaptcha).toEqual({ action: 'chat_retry', version: 'v3', field: 'recaptchaV3Token', v2SiteKey: RECAPTCHA_V2_SITE_KEY });
  });

  it('rejects empty turns, unknown modes and bad ids', () => {
    const fieldOf = (input: Partial<GenARetryInput>): string | undefined => {
      try {
        buildGenARetry({ sessionId: SESSION, messageId: MESSAGE, turns: TURNS, modelId: null, mode: 'direct_chat', ...input });
      } catch (error) {
        return isArenaInputError(error) ? error.field : 'other';
      }
      return undefined;
    };
    expect(fieldOf({ turns: [] })).toBe('turns');
    expect(fieldOf({ mode: 'direct' as GenARetryInput['mode'] })).toBe('mode');
    expect(fieldOf({ sessionId: 'abc' })).toBe('sessionId');
    expect(fieldOf({})).toBeUndefined();
  });
});
