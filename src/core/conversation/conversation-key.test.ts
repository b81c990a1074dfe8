import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conversationKey, type KeyedMessage } from './conversation-key.js';

const messages: KeyedMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: '  What is in this picture? é ✓\n', attachments: [{ url: 'https://files.example/a.png', name: 'a.png', contentType: 'image/png' }] },
  { role: 'assistant', content: 'A cat.' },
];

describe('conversationKey', () => {
  it('is the sha-256 of role, trimmed content and attachment URLs with their separators (keys stored by earlier versions still match)', () => {
    const hash = createHash('sha256');
    for (const message of messages) {
      hash.update(`${message.role}\u0000${message.content.trim()}\u0000`);
      for (const attachment of message.attachments ?? []) hash.update(`${attachment.url}\u0001`);
      hash.update('\u0002');
    }
    expect(conversationKey(messages)).toBe(hash.digest('hex'));
  });

  it('ignores surrounding whitespace but not roles, order or attachments', () => {
    const key = conversationKey(messages);
    expect(conversationKey(messages.map((message) => ({ ...message, content: ` ${message.content} ` })))).toBe(key);
    expect(conversationKey(messages.map((message) => ({ ...message, role: message.role === 'user' ? 'system' : message.role })))).not.toBe(key);
    expect(conversationKey([...messages].reverse())).not.toBe(key);
    expect(conversationKey(messages.map(({ attachments: _dropped, ...message }) => message))).not.toBe(key);
  });
});
