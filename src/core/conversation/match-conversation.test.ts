import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../chat/chat-types.js';
import { createMemoryConversationStore, type ConversationRecord, rememberAnswer } from './conversation-store.js';
import { matchConversation } from './match-conversation.js';

const user = (content: string): ChatMessage => ({ role: 'user', content, attachments: [] });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content, attachments: [] });
const record = (conversationId: string): ConversationRecord => ({
  conversationId, evaluationSessionId: `s-${conversationId}`, lastUserMessageId: 'u', lastAssistantMessageId: 'a',
  model: 'm', modelId: 'id', mode: 'direct', workerIdentity: null, updatedAt: 0,
});
const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ requestId: 'r', model: 'm', messages, stream: false, ...extra });

describe('matchConversation', () => {
  const conversations = createMemoryConversationStore();
  rememberAnswer(conversations, [user('Q1')], 'A1', record('c1'));
  rememberAnswer(conversations, [user('Q1'), assistant('A1'), user('Q2')], 'A2', { ...record('c1'), lastAssistantMessageId: 'a2' });
  const match = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}) =>
    matchConversation({ request: request(messages, extra), conversations, modelId: 'id', mode: 'direct' });

  it('continues a stored answer followed by a new user turn', () => {
    expect(match([user('Q1'), assistant('A1'), user('Q2b')])).toMatchObject({ kind: 'continue', record: { conversationId: 'c1' } });
  });

  it('regenerates a resent history that produced a stored answer, the first turn only when pinned', () => {
    expect(match([user('Q1'), assistant('A1'), user('Q2')])).toMatchObject({ kind: 'regenerate', record: { lastAssistantMessageId: 'a2' } });
    expect(match([user('Q1')])).toEqual({ kind: 'new' });
    expect(match([user('Q1')], { conversationId: 'c1' })).toMatchObject({ kind: 'regenerate' });
  });

  it('treats edited or foreign-model history as new, keeping a named conversation', () => {
    expect(match([user('Q1'), assistant('edited'), user('Q2')])).toEqual({ kind: 'new' });
    expect(matchConversation({ request: { ...request([user('Q1'), assistant('A1'), user('Q2b')]), model: 'other' }, conversations, modelId: null, mode: 'direct' })).toEqual({ kind: 'new' });
    expect(match([user('Q1'), assistant('edited'), user('Q2')], { conversationId: 'c1' })).toMatchObject({ kind: 'new', conversationId: 'c1' });
    expect(match([user('Only new')], { conversationId: 'c1' })).toMatchObject({ kind: 'continue' });
    expect(match([user('x')], { conversationId: 'missing' })).toMatchObject({ kind: 'new', warning: expect.stringContaining('missing') });
    expect(match([user('x')], { evaluationSessionId: 'elsewhere' })).toMatchObject({ kind: 'continue', record: { evaluationSessionId: 'elsewhere' } });
  });
});
