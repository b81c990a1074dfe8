import { createHash } from 'node:crypto';
import type { ChatMessage } from './chat-types.js';

/** The parts of a message that identify a conversation state. */
export type KeyedMessage = Pick<ChatMessage, 'role' | 'content'> & { attachments?: ChatMessage['attachments'] };

/**
 * A stable hash of a message history. Content is trimmed because clients often re-send an answer
 * with its surrounding whitespace normalised; attachments count by URL.
 */
export function conversationKey(messages: readonly KeyedMessage[]): string {
  const hash = createHash('sha256');
  for (const message of messages) {
    hash.update(message.role);
    hash.update('\u0000');
    hash.update(message.content.trim());
    hash.update('\u0000');
    for (const attachment of message.attachments ?? []) {
      hash.update(attachment.url);
      hash.update('\u0001');
    }
    hash.update('\u0002');
  }
  return hash.digest('hex');
}
