import { describe, expect, it } from 'vitest';
import { conversationKey } from './conversation-key.js';
import { createMemoryConversationStore, type ConversationRecord } from './conversation-store.js';

const record = (conversationId: string, evaluationSessionId = 's-' + conversationId): ConversationRecord => ({
  conversationId,
  evaluationSessionId,
  lastUserMessageId: 'u',
  lastAssistantMessageId: 'a',
  model: 'm',
  modelId: 'id',
  mode: 'direct',
  workerIdentity: null,
  updatedAt: 0,
});

describe('conversationKey', () => {
  const base = [
    { role: 'user' as const, content: 'Hi', attachments: [] },
    { role: 'assistant' as const, content: 'Hello!', attachments: [] },
  ];

  it('is stable and ignores surrounding whitespace', () => {
    expect(conversationKey(base)).toBe(conversationKey([{ ...base[0]!, content: ' Hi\n' }, base[1]!]));
  });

  it('changes with content, role, order and attachments', () => {
    const key = conversationKey(base);
    expect(conversationKey([base[0]!, { ...base[1]!, content: 'Hello' }])).not.toBe(key);
    expect(conversationKey([base[0]!, { ...base[1]!, role: 'user' }])).not.toBe(key);
    expect(conversationKey([base[1]!, base[0]!])).not.toBe(key);
    expect(conversationKey([{ ...base[0]!, attachments: [{ contentType: 'image/png', url: 'data:x' }] }, base[1]!])).not.toBe(key);
    // Message boundaries matter: "ab" + "" differs from "a" + "b".
    expect(conversationKey([{ role: 'user', content: 'ab' }, { role: 'user', content: '' }])).not.toBe(
      conversationKey([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]),
    );
  });
});

describe('createMemoryConversationStore', () => {
  it('stores, finds by conversation and session id (newest first) and evicts the oldest', () => {
    const store = createMemoryConversationStore({ maxEntries: 2 });
    store.put('k1', record('c1'));
    store.put('k2', { ...record('c1', 's-2'), updatedAt: 2 });
    expect(store.get('k1')?.conversationId).toBe('c1');
    expect(store.findByConversationId('c1')?.evaluationSessionId).toBe('s-2');
    expect(store.findByEvaluationSessionId('s-c1')?.conversationId).toBe('c1');
    store.put('k3', record('c3'));
    expect(store.get('k1')).toBeUndefined();
    expect(store.get('k3')?.conversationId).toBe('c3');
    expect(store.findByConversationId('missing')).toBeUndefined();
  });
});
